package io.github.s3ite.server.operations;

import io.github.s3ite.server.access.AccessControlList;
import io.github.s3ite.server.access.Grant;
import io.github.s3ite.server.access.Grantee;
import io.github.s3ite.server.access.Identity;
import io.github.s3ite.server.access.Permission;
import io.github.s3ite.server.access.Users;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.XmlWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * ACLs as S3 writes them (the {@code AccessControlPolicy} document, kept as text in the bucket file)
 * and as clients send them: that document, a canned {@code x-amz-acl}, or {@code x-amz-grant-*}
 * headers. Grants by e-mail are resolved to the user's canonical id when they are set, as S3 does.
 */
final class AclDocuments {
    private static final String XSI = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
    private static final String XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance";
    private static final int MAX_GRANTS = 100;

    private AclDocuments() {
    }

    /** The document GetBucketAcl / GetObjectAcl answer, without the XML declaration. */
    static String write(AccessControlList acl) {
        XmlWriter xml = XmlWriter.document("AccessControlPolicy");
        xml.start("Owner").element("ID", acl.owner().id()).element("DisplayName", acl.owner().displayName()).end();
        xml.start("AccessControlList");
        for (Grant grant : acl.grants()) {
            xml.start("Grant");
            Grantee grantee = grant.grantee();
            if (grantee.isGroup()) {
                xml.start("Grantee", XSI + " xsi:type=\"Group\"").element("URI", grantee.uri()).end();
            } else {
                xml.start("Grantee", XSI + " xsi:type=\"CanonicalUser\"")
                        .element("ID", grantee.id()).element("DisplayName", grantee.displayName()).end();
            }
            xml.element("Permission", grant.permission().name());
            xml.end();
        }
        xml.end();
        return ConfigurationDocuments.stored(xml);
    }

    /** Reads a document this server wrote. */
    static AccessControlList read(String document) {
        return parse(document.getBytes(StandardCharsets.UTF_8), null, null);
    }

    /**
     * Reads the {@code AccessControlPolicy} a client sent.
     *
     * @param owner the resource's owner, which the document must name
     * @throws S3Exception MalformedACLError, AccessDenied (another owner), UnresolvableGrantByEmailAddress,
     *                     InvalidArgument
     */
    static AccessControlList parse(byte[] body, Grantee owner, Users users) {
        Element root;
        try {
            root = ConfigurationDocuments.parse(body, "AccessControlPolicy");
        } catch (S3Exception e) {
            throw malformed();
        }
        Element ownerElement = ConfigurationDocuments.child(root, "Owner");
        Element list = ConfigurationDocuments.child(root, "AccessControlList");
        if (ownerElement == null || list == null) {
            throw malformed();
        }
        String ownerId = ConfigurationDocuments.text(ownerElement, "ID");
        if (ownerId == null) {
            throw malformed();
        }
        ownerId = ownerId.strip();
        if (owner != null && !owner.id().equals(ownerId)) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
        }
        String ownerName = ConfigurationDocuments.text(ownerElement, "DisplayName");
        Grantee documentOwner = owner != null ? owner : Grantee.user(ownerId, ownerName);
        List<Grant> grants = new ArrayList<>();
        for (Element grant : ConfigurationDocuments.children(list, null)) {
            if (!"Grant".equals(grant.getLocalName())) {
                throw malformed();
            }
            Element grantee = ConfigurationDocuments.child(grant, "Grantee");
            String permission = ConfigurationDocuments.text(grant, "Permission");
            if (grantee == null || permission == null) {
                throw malformed();
            }
            grants.add(new Grant(grantee(grantee, users), permission(permission.strip())));
        }
        if (grants.size() > MAX_GRANTS) {
            throw malformed();
        }
        return new AccessControlList(documentOwner, grants);
    }

    private static Grantee grantee(Element element, Users users) {
        String type = element.getAttributeNS(XSI_NAMESPACE, "type");
        if (type == null || type.isEmpty()) {
            throw malformed();
        }
        switch (type.contains(":") ? type.substring(type.indexOf(':') + 1) : type) {
            case "CanonicalUser" -> {
                String id = ConfigurationDocuments.text(element, "ID");
                if (id == null || id.isBlank()) {
                    throw malformed();
                }
                Grantee user = canonicalUser(id.strip(), users);
                String displayName = ConfigurationDocuments.text(element, "DisplayName");
                return user.displayName() != null || displayName == null ? user : Grantee.user(user.id(), displayName);
            }
            case "Group" -> {
                String uri = ConfigurationDocuments.text(element, "URI");
                if (uri == null) {
                    throw malformed();
                }
                return group(uri.strip());
            }
            case "AmazonCustomerByEmail" -> {
                String email = ConfigurationDocuments.text(element, "EmailAddress");
                if (email == null) {
                    throw malformed();
                }
                return byEmail(email.strip(), users);
            }
            default -> throw malformed();
        }
    }

    /**
     * The ACL a write asks for: a canned {@code x-amz-acl}, {@code x-amz-grant-*} headers (the owner
     * keeps nothing it is not granted, as in S3), or null when the request names none.
     *
     * @throws S3Exception InvalidRequest when both are given, InvalidArgument for a bad header
     */
    static AccessControlList fromHeaders(S3Request request, Grantee owner, Grantee bucketOwner, Users users) {
        String canned = request.header("x-amz-acl");
        List<Grant> grants = new ArrayList<>();
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            Permission permission = Permission.ofGrantHeader(header.getKey());
            if (permission == null) {
                continue;
            }
            for (String value : header.getValue()) {
                for (String item : splitGrantees(value)) {
                    grants.add(new Grant(headerGrantee(header.getKey(), item, users), permission));
                }
            }
        }
        if (canned != null && !grants.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Specifying both Canned ACLs and Header Grants is not allowed");
        }
        if (canned != null) {
            return AccessControlList.canned(canned.strip(), owner, bucketOwner);
        }
        return grants.isEmpty() ? null : new AccessControlList(owner, grants);
    }

    /** Whether the request carries any ACL header. */
    static boolean hasAclHeaders(S3Request request) {
        if (request.header("x-amz-acl") != null) {
            return true;
        }
        for (String name : request.headers().keySet()) {
            if (Permission.ofGrantHeader(name) != null) {
                return true;
            }
        }
        return false;
    }

    private static List<String> splitGrantees(String value) {
        List<String> items = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : value.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                items.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        items.add(current.toString().strip());
        return items;
    }

    private static Grantee headerGrantee(String header, String item, Users users) {
        int equals = item.indexOf('=');
        if (equals < 0) {
            throw badGrantHeader(header, item);
        }
        String type = item.substring(0, equals).strip().toLowerCase(Locale.ROOT);
        String value = item.substring(equals + 1).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return switch (type) {
            case "id" -> canonicalUser(value, users);
            case "uri" -> group(value);
            case "emailaddress" -> byEmail(value, users);
            default -> throw badGrantHeader(header, item);
        };
    }

    private static Grantee canonicalUser(String id, Users users) {
        Identity user = users == null ? null : users.byCanonicalId(id);
        if (users != null && user == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid id").with("ArgumentName", "CanonicalUser/ID")
                    .with("ArgumentValue", id);
        }
        return Grantee.user(id, user == null ? null : user.displayName());
    }

    private static Grantee group(String uri) {
        if (!uri.equals(Grantee.ALL_USERS) && !uri.equals(Grantee.AUTHENTICATED_USERS) && !uri.equals(Grantee.LOG_DELIVERY)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid group uri").with("ArgumentName", "Group/URI")
                    .with("ArgumentValue", uri);
        }
        return Grantee.group(uri);
    }

    private static Grantee byEmail(String email, Users users) {
        Identity user = users == null ? null : users.byEmail(email);
        if (user == null) {
            throw new S3Exception(S3ErrorCode.UNRESOLVABLE_GRANT_BY_EMAIL_ADDRESS).with("EmailAddress", email);
        }
        return Grantee.user(user.canonicalId(), user.displayName());
    }

    private static Permission permission(String name) {
        try {
            return Permission.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
    }

    private static S3Exception badGrantHeader(String header, String value) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT).with("ArgumentName", header).with("ArgumentValue", value);
    }

    private static S3Exception malformed() {
        return new S3Exception(S3ErrorCode.MALFORMED_ACL_ERROR);
    }
}
