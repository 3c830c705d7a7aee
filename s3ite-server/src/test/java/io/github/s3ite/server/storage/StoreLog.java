package io.github.s3ite.server.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What a {@link BucketStore} logs (at FINE and above) while something runs: how each restore of a seed went. */
public final class StoreLog {
    private StoreLog() {
    }

    /** The messages {@link BucketStore} logged while {@code work} ran. */
    public static List<String> messagesWhile(Runnable work) {
        Logger logger = Logger.getLogger(BucketStore.class.getName());
        List<String> messages = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level level = logger.getLevel();
        logger.setLevel(Level.FINE);
        logger.addHandler(handler);
        try {
            work.run();
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(level);
        }
        return messages;
    }
}
