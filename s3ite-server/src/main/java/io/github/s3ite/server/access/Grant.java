package io.github.s3ite.server.access;

/** One entry of an access control list. */
public record Grant(Grantee grantee, Permission permission) {
}
