package io.sparknas.llm;

/**
 * The two messages of a proposal request.
 *
 * @param system the instructions: the only text the model is told to follow
 * @param user   the search's data and the request
 * @param schema the JSON schema of the reply, for endpoints with a structured-output mode
 */
public record ChatPrompt(String system, String user, String schema) implements java.io.Serializable {

    /** Both messages as a person would read them ({@code sparknas llm prompt}). */
    public String render() {
        return "=== system ===\n" + system + "\n\n=== user ===\n" + user + "\n";
    }
}
