package io.sparknas.task;

/**
 * The deployable files a final training wrote beside its model (fp32 and int8 ONNX, the int8 model as C code), and the int8 model's figures
 * ({@link io.sparknas.export.DeploymentExport}, scored through ONNX Runtime).
 *
 * @param onnx            the fp32 ONNX model's path
 * @param onnxInt8        the int8 QDQ ONNX model's path
 * @param cModel          the folder of the C export ({@link io.sparknas.export.CModelExport}) of the int8 model
 * @param calibration     the calibration method kept (best int8 val mAP@0.5)
 * @param int8ValMap50    the int8 model's val mAP@0.5
 * @param int8TestMap50   its test mAP@0.5 (NaN without a test split)
 * @param int8TestMapCoco its test mAP@[.5:.95] (NaN without a test split)
 */
public record FinalExport(String onnx, String onnxInt8, String cModel, String calibration, double int8ValMap50, double int8TestMap50,
                          double int8TestMapCoco) implements java.io.Serializable {
}
