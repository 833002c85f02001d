package org.jswtpm.core.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.jswtpm.core.types.TpmCc;

/**
 * The command table: one {@link CommandSpec} row per implemented command, in command-code order. It is
 * the single source for dispatch and for what {@code TPM2_GetCapability} reports, so the two never
 * disagree.
 */
public final class CommandTable {
    private final CommandSpec[] byIndex = new CommandSpec[TpmCc.LAST - TpmCc.FIRST + 1];
    private final List<CommandSpec> ordered;

    public CommandTable(List<CommandSpec> rows) {
        List<CommandSpec> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingInt(s -> s.cc().code()));
        for (CommandSpec s : sorted) {
            int i = s.cc().code() - TpmCc.FIRST;
            if (i < 0 || i >= byIndex.length || byIndex[i] != null) {
                throw new IllegalArgumentException("bad or duplicate command row " + s.cc());
            }
            byIndex[i] = s;
        }
        ordered = Collections.unmodifiableList(sorted);
    }

    /** The row for {@code code}, or null if the command is not implemented. */
    public CommandSpec get(int code) {
        int i = code - TpmCc.FIRST;
        return i >= 0 && i < byIndex.length ? byIndex[i] : null;
    }

    /** Every implemented command, in code order. */
    public List<CommandSpec> all() {
        return ordered;
    }

    /** Row builder: {@code row(TpmCc.PCR_Extend, handler).handle(PCR_OR_NULL, USER).flags(NV)}. */
    public static Row row(TpmCc cc, CommandHandler<?> handler) {
        return new Row(cc, handler);
    }

    /** Accumulates one row. */
    public static final class Row {
        private final TpmCc cc;
        private final CommandHandler<?> handler;
        private final List<HandleKind> handles = new ArrayList<>();
        private final List<AuthRole> roles = new ArrayList<>();
        private int flags;

        private Row(TpmCc cc, CommandHandler<?> handler) {
            this.cc = cc;
            this.handler = handler;
        }

        public Row handle(HandleKind kind, AuthRole role) {
            handles.add(kind);
            roles.add(role);
            return this;
        }

        public Row flags(int... f) {
            for (int x : f) {
                flags |= x;
            }
            return this;
        }

        public CommandSpec build() {
            return new CommandSpec(cc, handles.toArray(new HandleKind[0]), roles.toArray(new AuthRole[0]),
                    flags, handler);
        }
    }
}
