package org.jswtpm.swtpm;

/** The data-channel contract over Unix sockets ({@code --server type=unixio}, {@code --ctrl type=unixio}). */
class DataChannelUnixTest extends DataChannelContract {
    @Override
    TestServer.Transport transport() {
        return TestServer.Transport.UNIX;
    }

    @Override
    String capabilities() {
        return "000000000001fcff";
    }
}
