package org.jswtpm.swtpm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The TCP listening sockets of {@code --server type=tcp} and {@code --ctrl type=tcp}. */
@Timeout(30)
class TcpAcceptorTest {
    /**
     * {@code bindaddr=<link-local>,ifname=<if>}: the socket listens on that address with the interface's
     * scope, and a client reaching it there is served (needs an interface with an IPv6 link-local address).
     */
    @Test
    void aLinkLocalAddressIsBoundOnTheNamedInterface() throws Exception {
        NetworkInterface nic = null;
        Inet6Address linkLocal = null;
        for (NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(candidate.getInetAddresses())) {
                if (a instanceof Inet6Address && a.isLinkLocalAddress() && candidate.isUp() && linkLocal == null) {
                    nic = candidate;
                    linkLocal = (Inet6Address) a;
                }
            }
        }
        Assumptions.assumeTrue(linkLocal != null, "no interface with an IPv6 link-local address");
        String literal = linkLocal.getHostAddress().replaceAll("%.*", "");
        SwtpmOptions options = SwtpmCommandLine.parse(new String[] {"--tpm2", "--server",
            "type=tcp,port=0,bindaddr=" + literal + ",ifname=" + nic.getName()}, Map.of()).options();
        TcpAcceptor acceptor = TcpAcceptor.bind(options.dataBindAddress(), 0, "data");
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal.getAddress(), nic),
                    acceptor.port()), 5000);
            try (Connection server = acceptor.accept()) {
                OutputStream out = client.getOutputStream();
                out.write(42);
                out.flush();
                InputStream in = server.in();
                assertEquals(42, in.read());
            }
        } finally {
            acceptor.close();
        }
    }
}
