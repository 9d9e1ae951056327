package io.rge.eval.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A published result for the report's main table; every number is Precision@1 x 100.
 *
 * @param model the row's label
 */
public record ReferenceRow(
    @JsonProperty(required = true) String model,
    double classification,
    double vqa,
    double retrieval,
    double grounding,
    double ind,
    double ood,
    double overall) {}
