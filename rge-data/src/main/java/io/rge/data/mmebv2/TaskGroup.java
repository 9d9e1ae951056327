package io.rge.data.mmebv2;

/**
 * The twelve group columns of the MMEB-V2 table, four per modality. Each column is the plain mean
 * of its tasks' main metric.
 */
public enum TaskGroup {
  I_CLS("I-CLS", Modality.IMAGE),
  I_QA("I-QA", Modality.IMAGE),
  I_RET("I-RET", Modality.IMAGE),
  I_VG("I-VG", Modality.IMAGE),
  V_CLS("V-CLS", Modality.VIDEO),
  V_QA("V-QA", Modality.VIDEO),
  V_RET("V-RET", Modality.VIDEO),
  V_MRET("V-MRET", Modality.VIDEO),
  VIDORE_V1("ViDoRe-V1", Modality.VISDOC),
  VIDORE_V2("ViDoRe-V2", Modality.VISDOC),
  VISRAG("VisRAG", Modality.VISDOC),
  VISDOC_OOD("VisDoc-OOD", Modality.VISDOC);

  private final String label;
  private final Modality modality;

  TaskGroup(String label, Modality modality) {
    this.label = label;
    this.modality = modality;
  }

  /** The column heading, e.g. {@code I-CLS} or {@code ViDoRe-V2}. */
  public String label() {
    return label;
  }

  public Modality modality() {
    return modality;
  }
}
