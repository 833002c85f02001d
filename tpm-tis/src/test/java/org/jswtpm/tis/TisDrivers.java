package org.jswtpm.tis;

import static org.jswtpm.tis.TisRegisters.ACCESS;
import static org.jswtpm.tis.TisRegisters.DATA_FIFO;
import static org.jswtpm.tis.TisRegisters.LOCALITY_STRIDE;
import static org.jswtpm.tis.TisRegisters.STS;

import java.io.ByteArrayOutputStream;
import org.jswtpm.tis.TisRegisters.Access;
import org.jswtpm.tis.TisRegisters.Sts;

/**
 * Test drivers that talk to a {@link TisInterface} the way real guest drivers do, written from their
 * documented behaviour: the Linux kernel's tpm_tis_core, EDK2's Tpm2Ptp FIFO path and SeaBIOS's tis
 * code. They differ in access widths and in where they check Expect and burstCount; each throws
 * {@link AssertionError} when the device does not behave as the driver requires.
 */
final class TisDrivers {
    private static final int POLL_LIMIT = 200_000;
    private static final long TIMEOUT_NANOS = 10_000_000_000L;

    private TisDrivers() {
    }

    /** A guest driver: send one command at its locality and return the response. */
    abstract static class Driver {
        final TisInterface tis;
        final int locality;

        Driver(TisInterface tis, int locality) {
            this.tis = tis;
            this.locality = locality;
        }

        abstract byte[] transmit(byte[] command);

        long reg(int offset) {
            return (long) locality * LOCALITY_STRIDE + offset;
        }

        int read8(int offset) {
            return (int) tis.mmioRead(reg(offset), 1);
        }

        void write8(int offset, int value) {
            tis.mmioWrite(reg(offset), 1, value);
        }

        long read32(int offset) {
            return tis.mmioRead(reg(offset), 4);
        }

        void waitFor(int offset, int mask) {
            long deadline = System.nanoTime() + TIMEOUT_NANOS;
            while (System.nanoTime() - deadline < 0) {
                if ((read8(offset) & mask) == mask) {
                    return;
                }
                Thread.onSpinWait();
            }
            throw new AssertionError(String.format("timeout waiting for %02x at %x", mask, offset));
        }

        void requestLocality() {
            write8(ACCESS, Access.REQUEST_USE);
            waitFor(ACCESS, Access.ACTIVE_LOCALITY | Access.TPM_REG_VALID_STS);
        }

        void relinquish() {
            write8(ACCESS, Access.ACTIVE_LOCALITY);
        }

        static int responseSize(byte[] header) {
            return ((header[2] & 0xFF) << 24) | ((header[3] & 0xFF) << 16) | ((header[4] & 0xFF) << 8)
                    | (header[5] & 0xFF);
        }
    }

    /** Linux tpm_tis_core: 32-bit STS reads for burstCount, byte writes, Expect checked before the last byte. */
    static final class Linux extends Driver {
        Linux(TisInterface tis, int locality) {
            super(tis, locality);
        }

        @Override
        byte[] transmit(byte[] command) {
            requestLocality();
            try {
                send(command);
                return recv();
            } finally {
                write8(STS, Sts.COMMAND_READY);
                relinquish();
            }
        }

        private int burstCount() {
            for (int i = 0; i < POLL_LIMIT; i++) {
                int burst = (int) (read32(STS) >>> Sts.BURST_COUNT_SHIFT) & Sts.BURST_COUNT_MASK;
                if (burst > 0) {
                    return burst;
                }
            }
            throw new AssertionError("burstCount stayed 0");
        }

        private void send(byte[] cmd) {
            if ((read8(STS) & Sts.COMMAND_READY) == 0) {
                write8(STS, Sts.COMMAND_READY);
                waitFor(STS, Sts.COMMAND_READY);
            }
            int count = 0;
            while (count < cmd.length - 1) {
                int n = Math.min(burstCount(), cmd.length - 1 - count);
                for (int i = 0; i < n; i++) {
                    write8(DATA_FIFO, cmd[count++] & 0xFF);
                }
                waitFor(STS, Sts.STS_VALID);
                if ((read8(STS) & Sts.EXPECT) == 0) {
                    throw new AssertionError("Expect cleared early at byte " + count);
                }
            }
            write8(DATA_FIFO, cmd[count] & 0xFF);
            waitFor(STS, Sts.STS_VALID);
            if ((read8(STS) & Sts.EXPECT) != 0) {
                throw new AssertionError("Expect still set after the last byte");
            }
            write8(STS, Sts.TPM_GO);
        }

        private byte[] recv() {
            byte[] header = recvData(10);
            int size = responseSize(header);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(header);
            out.writeBytes(recvData(size - 10));
            waitFor(STS, Sts.STS_VALID);
            if ((read8(STS) & Sts.DATA_AVAIL) != 0) {
                throw new AssertionError("left-over data after the response");
            }
            return out.toByteArray();
        }

        private byte[] recvData(int count) {
            byte[] buf = new byte[count];
            int size = 0;
            while (size < count) {
                waitFor(STS, Sts.DATA_AVAIL | Sts.STS_VALID);
                int n = Math.min(burstCount(), count - size);
                for (int i = 0; i < n; i++) {
                    buf[size++] = (byte) read8(DATA_FIFO);
                }
            }
            return buf;
        }
    }

    /** EDK2 Tpm2Ptp (FIFO): burstCount read as two single bytes, byte FIFO access, stays at its locality. */
    static final class Edk2 extends Driver {
        Edk2(TisInterface tis, int locality) {
            super(tis, locality);
        }

        @Override
        byte[] transmit(byte[] command) {
            if ((read8(ACCESS) & Access.TPM_REG_VALID_STS) == 0) {
                throw new AssertionError("TPM_ACCESS not valid");
            }
            if ((read8(ACCESS) & Access.ACTIVE_LOCALITY) == 0) {
                requestLocality();
            }
            write8(STS, Sts.COMMAND_READY);
            waitFor(STS, Sts.COMMAND_READY);
            int index = 0;
            while (index < command.length - 1) {
                int burst = burstCount();
                for (; burst > 0 && index < command.length - 1; burst--) {
                    write8(DATA_FIFO, command[index++] & 0xFF);
                }
            }
            waitFor(STS, Sts.STS_VALID | Sts.EXPECT);
            write8(DATA_FIFO, command[index] & 0xFF);
            waitFor(STS, Sts.STS_VALID);
            if ((read8(STS) & Sts.EXPECT) != 0) {
                throw new AssertionError("Expect still set");
            }
            write8(STS, Sts.TPM_GO);
            waitFor(STS, Sts.STS_VALID | Sts.DATA_AVAIL);
            byte[] header = readBytes(10);
            int size = responseSize(header);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(header);
            out.writeBytes(readBytes(size - 10));
            write8(STS, Sts.COMMAND_READY);
            return out.toByteArray();
        }

        private int burstCount() {
            for (int i = 0; i < POLL_LIMIT; i++) {
                int burst = read8(STS + 1) | (read8(STS + 2) << 8);
                if (burst != 0) {
                    return burst;
                }
            }
            throw new AssertionError("burstCount stayed 0");
        }

        private byte[] readBytes(int count) {
            byte[] buf = new byte[count];
            int index = 0;
            while (index < count) {
                int burst = burstCount();
                for (; burst > 0 && index < count; burst--) {
                    buf[index++] = (byte) read8(DATA_FIFO);
                }
            }
            return buf;
        }
    }

    /**
     * SeaBIOS tis: relinquishes any other active locality and clears beenSeized before requesting its
     * own, reads burstCount with a 16-bit access at STS+1, reads the response until dataAvail clears.
     */
    static final class SeaBios extends Driver {
        SeaBios(TisInterface tis, int locality) {
            super(tis, locality);
        }

        @Override
        byte[] transmit(byte[] command) {
            activate();
            write8(STS, Sts.COMMAND_READY);
            waitFor(STS, Sts.COMMAND_READY);
            int offset = 0;
            while (offset < command.length) {
                int burst = burstCount();
                while (burst-- > 0 && offset < command.length) {
                    write8(DATA_FIFO, command[offset++] & 0xFF);
                }
                waitFor(STS, Sts.STS_VALID);
                boolean expect = (read8(STS) & Sts.EXPECT) != 0;
                if (expect != (offset < command.length)) {
                    throw new AssertionError("Expect wrong at byte " + offset);
                }
            }
            write8(STS, Sts.TPM_GO);
            waitFor(STS, Sts.STS_VALID | Sts.DATA_AVAIL);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while ((read8(STS) & Sts.DATA_AVAIL) != 0) {
                int burst = burstCount();
                for (int i = 0; i < burst; i++) {
                    out.write(read8(DATA_FIFO));
                }
                waitFor(STS, Sts.STS_VALID);
            }
            write8(STS, Sts.COMMAND_READY);
            return out.toByteArray();
        }

        private void activate() {
            if ((read8(ACCESS) & Access.ACTIVE_LOCALITY) != 0) {
                return;
            }
            for (int l = 0; l < TisRegisters.LOCALITY_COUNT; l++) {
                if (l != locality
                        && (tis.mmioRead((long) l * LOCALITY_STRIDE + ACCESS, 1) & Access.ACTIVE_LOCALITY) != 0) {
                    tis.mmioWrite((long) l * LOCALITY_STRIDE + ACCESS, 1, Access.ACTIVE_LOCALITY);
                }
            }
            if ((read8(ACCESS) & Access.BEEN_SEIZED) != 0) {
                write8(ACCESS, Access.BEEN_SEIZED);
            }
            requestLocality();
        }

        private int burstCount() {
            for (int i = 0; i < POLL_LIMIT; i++) {
                int burst = (int) tis.mmioRead(reg(STS + 1), 2);
                if (burst != 0) {
                    return burst;
                }
            }
            throw new AssertionError("burstCount stayed 0");
        }
    }
}
