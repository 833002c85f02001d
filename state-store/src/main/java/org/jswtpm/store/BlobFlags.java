package org.jswtpm.store;

/** Bits of the {@link BlobHeader} flags field. */
public final class BlobFlags {
  /** Encrypted with the state-file key. */
  public static final int ENCRYPTED = 0x01;
  /** Encrypted with the migration key. */
  public static final int MIGRATION_ENCRYPTED = 0x02;
  /** A migration blob (GET/SET_STATEBLOB payload). */
  public static final int MIGRATION_DATA = 0x04;
  /** The state-file key is 256 bits. */
  public static final int ENCRYPTED_256BIT_KEY = 0x08;
  /** The migration key is 256 bits. */
  public static final int MIGRATION_256BIT_KEY = 0x10;

  private BlobFlags() {}
}
