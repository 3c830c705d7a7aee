package io.github.s3ite.server.access;

import java.util.List;
import java.util.Objects;

/**
 * One statement of a bucket policy, parsed. Each of principal, action and resource is either the
 * element or its {@code Not} form, which applies to everything the element does not name.
 *
 * @param allow {@code "Effect": "Allow"}, else {@code "Deny"}
 * @param principals the principals named
 * @param notPrincipal whether they were named by {@code NotPrincipal}
 * @param actions the action patterns, compared without regard to case
 * @param notAction whether they were given as {@code NotAction}
 * @param resources the resource ARN patterns, compared exactly
 * @param notResource whether they were given as {@code NotResource}
 * @param conditions the conditions, all of which must hold
 */
record PolicyStatement(boolean allow, PolicyPrincipals principals, boolean notPrincipal,
        List<PolicyPattern> actions, boolean notAction, List<PolicyPattern> resources, boolean notResource,
        List<Condition> conditions) {

    PolicyStatement {
        Objects.requireNonNull(principals);
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        conditions = List.copyOf(conditions);
    }

    /** Whether this statement applies to the request: its effect is then the statement's. */
    boolean appliesTo(PolicyRequest request, PolicyContext context) {
        return principals.names(request.principal()) != notPrincipal
                && names(request.action()) != notAction
                && coversResource(request.resourceArn(), context) != notResource
                && conditions.stream().allMatch(condition -> condition.holds(context));
    }

    private boolean names(String action) {
        return actions.stream().anyMatch(pattern -> pattern.matches(action, true));
    }

    private boolean coversResource(String arn, PolicyContext context) {
        return resources.stream().map(pattern -> pattern.resolve(context::variable))
                .anyMatch(pattern -> pattern != null && pattern.matches(arn, false));
    }

    /**
     * Whether this statement grants to anyone at all without confining the grant to fixed values
     * of a key that makes it non-public.
     */
    boolean grantsPublicAccess() {
        return allow && !notPrincipal && principals.everyone()
                && conditions.stream().noneMatch(Condition::confinesToFixedValues);
    }
}
