package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The clients a server makes: async ones share one event loop, which closing one of them leaves running. */
class AwsClientsEndToEndTest {

    @Test
    void closingOneAsyncClientLeavesTheOthersOfThisAndOtherServersWorking() {
        try (S3iteServer first = new S3iteServer().withBucket("shared").start()) {
            S3AsyncClient closed = first.createAsyncClient();
            S3AsyncClient kept = first.createAsyncClient();
            closed.headBucket(b -> b.bucket("shared")).join();
            closed.close();

            kept.putObject(b -> b.bucket("shared").key("k"), AsyncRequestBody.fromString("still here")).join();
            assertEquals("still here", kept.getObject(b -> b.bucket("shared").key("k"),
                    AsyncResponseTransformer.toBytes()).join().asUtf8String());
        }
        try (S3iteServer second = new S3iteServer().withBucket("after").start()) {
            S3AsyncClient client = second.createAsyncClient();
            client.putObject(b -> b.bucket("after").key("k"), AsyncRequestBody.fromString("v")).join();
            assertEquals("v", client.getObject(b -> b.bucket("after").key("k"),
                    AsyncResponseTransformer.toBytes()).join().asUtf8String());
        }
    }
}
