package org.jswtpm.core.command;

import static org.jswtpm.core.testing.TestTpm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jswtpm.core.Tpm;
import org.jswtpm.core.TpmException;
import org.jswtpm.core.engine.CommandSpec;
import org.jswtpm.core.engine.TpmEngine;
import org.jswtpm.core.marshal.TpmReader;
import org.jswtpm.core.testing.Command;
import org.jswtpm.core.testing.TestTpm;
import org.jswtpm.core.types.TpmCap;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmPt;
import org.jswtpm.core.types.TpmRc;
import org.junit.jupiter.api.Test;

/** Part 3, 30.2 TPM2_GetCapability: contents true to the implementation, and paging. */
class CapabilityCommandsTest {
    static Map<Integer, Integer> properties(Tpm tpm, int from, int count) throws TpmException {
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.TPM_PROPERTIES).u32(from).u32(count)).ok();
        r.u8();
        assertEquals(TpmCap.TPM_PROPERTIES, r.u32());
        Map<Integer, Integer> map = new HashMap<>();
        for (int n = r.u32(); n > 0; n--) {
            map.put(r.u32(), r.u32());
        }
        return map;
    }

    @Test
    void fixedPropertiesDescribeThisTpm() throws TpmException {
        Map<Integer, Integer> p = properties(TestTpm.started(), TpmPt.FIXED, 127);
        assertEquals(0x322E3000, p.get(TpmPt.FAMILY_INDICATOR));
        assertEquals(0x4A535754, p.get(TpmPt.MANUFACTURER));
        assertEquals(24, p.get(TpmPt.PCR_COUNT));
        assertEquals(4096, p.get(TpmPt.MAX_COMMAND_SIZE));
        assertEquals(((TpmEngine) TestTpm.started()).table().all().size(), p.get(TpmPt.TOTAL_COMMANDS));
    }

    @Test
    void pagingSetsMoreDataAndResumes() throws TpmException {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.TPM_PROPERTIES).u32(TpmPt.FIXED).u32(2)).ok();
        assertEquals(1, r.u8(), "moreData");
        r.u32();
        assertEquals(2, r.u32());
        assertEquals(TpmPt.FIXED, r.u32());
        r.u32();
        assertEquals(TpmPt.LEVEL, r.u32());
        Map<Integer, Integer> rest = properties(tpm, TpmPt.AUDIT_COUNTER_1, 10);
        assertEquals(1, rest.size());
        TpmReader end = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.TPM_PROPERTIES).u32(TpmPt.AUDIT_COUNTER_1).u32(1)).ok();
        assertEquals(0, end.u8(), "no moreData at the end");
    }

    @Test
    void commandListIsTheCommandTable() throws TpmException {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.COMMANDS).u32(TpmCc.FIRST).u32(254)).ok();
        assertEquals(0, r.u8());
        r.u32();
        List<Integer> reported = new ArrayList<>();
        for (int n = r.u32(); n > 0; n--) {
            reported.add(r.u32());
        }
        List<Integer> table = new ArrayList<>();
        for (CommandSpec s : ((TpmEngine) tpm).table().all()) {
            table.add(s.tpmaCc());
        }
        assertEquals(table, reported);
        int extend = reported.stream().filter(a -> (a & 0xFFFF) == TpmCc.PCR_Extend.code()).findFirst().orElseThrow();
        assertEquals(0x0182 | 1 << 22 | 1 << 25, extend, "nv, one handle");
    }

    @Test
    void handlesAndErrors() throws TpmException {
        Tpm tpm = TestTpm.started();
        TpmReader r = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.HANDLES).u32(0x40000000).u32(100)).ok();
        r.u8();
        r.u32();
        assertEquals(7, r.u32());
        assertEquals(0x40000001, r.u32());
        run(tpm, Command.of(TpmCc.GetCapability).u32(0x0B).u32(0).u32(1)).assertRc(TpmRc.VALUE.parameter(1));
        run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.HANDLES).u32(0x05000000).u32(1))
                .assertRc(TpmRc.VALUE.parameter(2));
        TpmReader pcrs = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.PCRS).u32(0).u32(1)).ok();
        pcrs.u8();
        pcrs.u32();
        assertEquals(4, pcrs.u32());
        TpmReader algs = run(tpm, Command.of(TpmCc.GetCapability).u32(TpmCap.ALGS).u32(0).u32(100)).ok();
        algs.u8();
        algs.u32();
        int count = algs.u32();
        assertTrue(count >= 4);
        boolean sha1 = false;
        for (int i = 0; i < count; i++) {
            int alg = algs.u16();
            int attributes = algs.u32();
            if (alg == 0x0004) {
                assertEquals(0x4, attributes, "SHA-1 is a hash");
                sha1 = true;
            }
        }
        assertTrue(sha1);
    }
}
