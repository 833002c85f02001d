package org.jswtpm.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** swtpm's sub-option syntax and {@code --tpmstate}. */
class SubOptionsTest {
  @Test
  void tokensBooleansAndBraces() {
    SubOptions o = SubOptions.parse("--x", "a=1,b,c=false,d={\"k\":1,\"j\":2},e=TRUE", Set.of("a", "b", "c", "d", "e", "f"));
    assertTrue(o.getBool("a", false));
    assertTrue(o.getBool("b", false));
    assertFalse(o.getBool("c", true));
    assertTrue(o.getBool("e", false));
    assertTrue(o.getBool("f", true));
    assertEquals("{\"k\":1,\"j\":2}", o.get("d"));
    assertThrows(IllegalArgumentException.class, () -> SubOptions.parse("--x", "z=1", Set.of("a")));
    assertThrows(IllegalArgumentException.class, () -> SubOptions.parse("--x", "a={", Set.of("a")));
  }

  @Test
  void tpmstateForms() {
    TpmStateOptions d = TpmStateOptions.parse("dir=/var/lib/tpm,mode=0600");
    assertEquals(TpmStateOptions.Backend.DIRECTORY, d.backend());
    assertEquals(Path.of("/var/lib/tpm"), d.path());
    assertEquals(0600, d.mode());
    assertTrue(d.lock(), "dir locks by default");

    TpmStateOptions u = TpmStateOptions.parse("backend-uri=dir://rel/dir");
    assertEquals(Path.of("rel/dir"), u.path());
    assertEquals(0640, u.mode());
    assertFalse(u.modeGiven());

    TpmStateOptions f = TpmStateOptions.parse("backend-uri=file:///tmp/x.img");
    assertEquals(TpmStateOptions.Backend.LINEAR_FILE, f.backend());
    assertEquals(Path.of("/tmp/x.img"), f.path());
    assertFalse(f.lock(), "file does not lock by default");
    assertTrue(TpmStateOptions.parse("backend-uri=file:///tmp/x.img,lock").lock());
    assertFalse(TpmStateOptions.parse("dir=/d,lock=no").lock());
    assertTrue(TpmStateOptions.parse("dir=/d,backup,fsync").backup());
    assertEquals(Path.of("/a"), TpmStateOptions.parse("dir=/a,backend-uri=file:///b").path(), "dir= wins");
  }

  @Test
  void badTpmstate() {
    for (String bad : new String[] {"", "mode=0600", "dir=/d,mode=0800", "dir=/d,mode=1777", "dir=/d,mode=rw",
        "backend-uri=nbd://x", "dir=", "backend-uri=file://", "dir=/d,owner=me"}) {
      assertThrows(IllegalArgumentException.class, () -> TpmStateOptions.parse(bad), bad);
    }
  }
}
