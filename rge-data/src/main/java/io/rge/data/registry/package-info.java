/**
 * Evaluation dataset registries: the 36 MMEB datasets with meta-task and IND/OOD, and registries of
 * the same shape.
 */
package io.rge.data.registry;
