package io.rge.testfixtures;

import java.util.List;

/**
 * MMEB's 36 datasets in its reporting order (10 classification, 10 VQA, 12 retrieval, 4 visual
 * grounding), written out independently of {@code DatasetRegistry}: the reference that the
 * registry's and the score tables' tests check against.
 */
public final class MmebDatasets {
  /** The dataset names, in MMEB's reporting order. */
  public static final List<String> IN_REPORTING_ORDER =
      List.of(
          "ImageNet-1K",
          "N24News",
          "HatefulMemes",
          "VOC2007",
          "SUN397",
          "Place365",
          "ImageNet-A",
          "ImageNet-R",
          "ObjectNet",
          "Country211",
          "OK-VQA",
          "A-OKVQA",
          "DocVQA",
          "InfographicsVQA",
          "ChartQA",
          "Visual7W",
          "ScienceQA",
          "VizWiz",
          "GQA",
          "TextVQA",
          "VisDial",
          "CIRR",
          "VisualNews_t2i",
          "VisualNews_i2t",
          "MSCOCO_t2i",
          "MSCOCO_i2t",
          "NIGHTS",
          "WebQA",
          "OVEN",
          "FashionIQ",
          "EDIS",
          "Wiki-SS-NQ",
          "MSCOCO",
          "Visual7W-Pointing",
          "RefCOCO",
          "RefCOCO-Matching");

  private MmebDatasets() {}
}
