/**
 * The {@code rge data} commands ({@code inspect}, {@code synth}) and the dataset inspector behind
 * {@code inspect}.
 */
package io.rge.data.inspect;
