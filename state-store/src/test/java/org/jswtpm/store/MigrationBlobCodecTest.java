package org.jswtpm.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Migration blobs (GET/SET_STATEBLOB payloads) in every key combination. */
class MigrationBlobCodecTest {
  static final StateKey FK = BlobEnvelopeTest.K128;
  static final StateKey MK = BlobEnvelopeTest.K256;
  static final byte[] DATA = BlobEnvelopeTest.DATA;

  static MigrationBlobCodec codec(StateKey fk, StateKey mk) {
    return new MigrationBlobCodec(fk, mk, new SecureRandom());
  }

  @Test
  void flagsAndRoundTrips() throws Exception {
    StateKey[] keys = {null, FK};
    StateKey[] mkeys = {null, MK, FK};
    for (StateKey fk : keys) {
      for (StateKey mk : mkeys) {
        for (boolean keep : new boolean[] {false, true}) {
          MigrationBlobCodec c = codec(fk, mk);
          byte[] blob = c.wrap(DATA, keep);
          int flags = BlobHeader.parse(blob).flags();
          assertTrue((flags & BlobFlags.MIGRATION_DATA) != 0);
          assertEquals(mk != null, (flags & BlobFlags.MIGRATION_ENCRYPTED) != 0);
          assertEquals(mk != null && mk.is256(), (flags & BlobFlags.MIGRATION_256BIT_KEY) != 0);
          assertEquals(c.staysEncrypted(keep), (flags & BlobFlags.ENCRYPTED) != 0);
          assertArrayEquals(DATA, c.unwrap(blob, c.staysEncrypted(keep)));
        }
      }
    }
  }

  @Test
  void plainOuterLayerIsTlv4HoldingTlv1() throws Exception {
    byte[] blob = codec(null, null).wrap(DATA, false);
    TlvList outer = TlvList.parse(blob, 10);
    byte[] inner = outer.require(Tlv.MIGRATION_DATA, "migration data");
    assertArrayEquals(DATA, TlvList.parse(inner, 0).require(Tlv.DATA, "data"));
  }

  @Test
  void emptyOrHeaderOnlyClearsState() throws Exception {
    assertEquals(0, codec(null, null).unwrap(new byte[0], false).length);
    byte[] hdr = new byte[10];
    BlobHeader.current(BlobFlags.MIGRATION_DATA, 10).writeTo(hdr);
    assertEquals(0, codec(null, null).unwrap(hdr, false).length);
  }

  @Test
  void unencryptedBlobAcceptedEvenWithMigrationKey() throws Exception {
    byte[] blob = codec(null, null).wrap(DATA, false);
    assertArrayEquals(DATA, codec(null, MK).unwrap(blob, false));
  }

  @Test
  void missingKeysAndWrongKeys() {
    byte[] migEnc = codec(null, MK).wrap(DATA, false);
    assertEquals(BlobError.KEY_REQUIRED, assertThrows(BlobFormatException.class, () -> codec(null, null).unwrap(migEnc, false)).error());
    assertEquals(BlobError.KEY_SIZE_MISMATCH, assertThrows(BlobFormatException.class, () -> codec(null, FK).unwrap(migEnc, false)).error());
    byte[] fileEnc = codec(FK, null).wrap(DATA, true);
    assertEquals(BlobError.KEY_REQUIRED, assertThrows(BlobFormatException.class, () -> codec(null, null).unwrap(fileEnc, true)).error());
    StateKey other = StateKey.of(BlobEnvelopeTest.seq(16, 9));
    assertEquals(BlobError.INTEGRITY, assertThrows(BlobFormatException.class, () -> codec(other, null).unwrap(fileEnc, true)).error());
  }
}
