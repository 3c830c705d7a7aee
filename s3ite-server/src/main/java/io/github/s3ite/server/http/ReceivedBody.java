package io.github.s3ite.server.http;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body received whole, as the pieces the connection delivered, each counted against the
 * request's {@link RequestMemory}. Read once, front to back: each piece is let go, and its budget
 * given back, as soon as the reader has passed it.
 */
final class ReceivedBody {
    static final ReceivedBody EMPTY = new ReceivedBody(null);

    private final RequestMemory memory;
    private final List<byte[]> pieces = new ArrayList<>();
    private long length;

    ReceivedBody(RequestMemory memory) {
        this.memory = memory;
    }

    void add(byte[] piece) {
        pieces.add(piece);
        length += piece.length;
    }

    /** Bytes received. */
    long length() {
        return length;
    }

    InputStream stream() {
        return new InputStream() {
            private int index;
            private int position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int count) {
                if (count == 0) {
                    return 0;
                }
                while (index < pieces.size() && position == pieces.get(index).length) {
                    letGo();
                }
                if (index == pieces.size()) {
                    return -1;
                }
                byte[] piece = pieces.get(index);
                int n = Math.min(count, piece.length - position);
                System.arraycopy(piece, position, buffer, offset, n);
                position += n;
                if (position == piece.length) {
                    letGo();
                }
                return n;
            }

            @Override
            public int available() {
                return index < pieces.size() ? pieces.get(index).length - position : 0;
            }

            private void letGo() {
                byte[] piece = pieces.set(index, null);
                index++;
                position = 0;
                if (memory != null && piece != null) {
                    memory.release(piece.length);
                }
            }
        };
    }
}
