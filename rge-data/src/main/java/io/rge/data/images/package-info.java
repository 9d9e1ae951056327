/**
 * Image stores: MMEB images from a folder or from zip archives read in place, looked up by
 * normalised relative path, decoded lazily with a pixel-count limit checked from the header first.
 */
package io.rge.data.images;
