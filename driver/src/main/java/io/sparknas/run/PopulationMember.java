package io.sparknas.run;

/**
 * One row of the {@code population/} table: a member of the evolution's population after a generation. The table
 * is committed after the generation's candidates, so its last generation is the one a resumed search continues from.
 *
 * @param position     its place in the population
 * @param candidateId  the candidate
 * @param architecture its canonical architecture JSON
 * @param fitness      its val mAP@0.5; -1 when it was not scored
 * @param born         the generation of its birth
 * @param genes        its whole genotype, comma separated, latent genes included (what a resumed search breeds
 *                     from); null in runs written before genotypes were stored
 */
public record PopulationMember(int position, String candidateId, String architecture, double fitness, long born,
                               String genes) {

    /** The columns of a generation's files. */
    public static final RowCodec<PopulationMember> CODEC = RowCodec.<PopulationMember>builder()
            .string("candidate_id", PopulationMember::candidateId)
            .string("architecture", PopulationMember::architecture)
            .decimal("fitness", PopulationMember::fitness)
            .longInteger("born", PopulationMember::born)
            .integer("position", PopulationMember::position)
            .optionalString("genes", PopulationMember::genes)
            .build(row -> new PopulationMember(row.integer("position"), row.string("candidate_id"),
                    row.string("architecture"), row.decimal("fitness"), row.longInteger("born"), row.optionalString("genes")));
}
