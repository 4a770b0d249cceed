import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Prints one free TCP port on 127.0.0.1 per argument-less call (the OS picks it; a small reuse race remains). */
public final class FreePort {
    private FreePort() {
    }

    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        ServerSocket[] sockets = new ServerSocket[count];
        for (int i = 0; i < count; i++) {
            sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            System.out.println(sockets[i].getLocalPort());
        }
        for (ServerSocket socket : sockets) {
            socket.close();
        }
    }
}
