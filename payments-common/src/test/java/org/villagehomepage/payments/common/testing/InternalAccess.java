package org.villagehomepage.payments.common.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.villagehomepage.payments.common.security.ServiceNames;

/**
 * Proves one allowlist row of an internal endpoint: each allowed sender gets through; every other
 * service, a user, a super_admin, the allowed sender's token for another audience, and forgeries
 * of the allowed sender (another service's key, the user identity provider's key, no token, an
 * unknown key, an expired token) are refused with 401/403 problem+json.
 */
public final class InternalAccess {

    public record Call(String method, String path, String body) {}

    private InternalAccess() {}

    public static void assertOnlyAllowed(String self, Call call, Set<String> allowed) {
        assertOnlyAllowed(self, sender -> call, allowed);
    }

    /** With a request shaped for each sender (e.g. an audit batch naming its sender). */
    public static void assertOnlyAllowed(
            String self, java.util.function.Function<String, Call> callAs, Set<String> allowed) {
        Call call = callAs.apply(allowed.iterator().next());
        for (String sender : allowed) {
            Call own = callAs.apply(sender);
            int status = send(own, Tokens.service(sender, self)).statusCode();
            assertThat(status)
                    .as("%s %s as allowed sender %s", own.method(), own.path(), sender)
                    .isNotIn(401, 403);
        }
        for (Map.Entry<String, String> refused : refusedTokens(self, allowed).entrySet()) {
            String claimed = refused.getKey().split(" ")[0];
            Response response = send(
                    allowed.contains(claimed) || TestKeys.SERVICES.contains(claimed) ? callAs.apply(claimed) : call,
                    refused.getValue());
            assertThat(response.statusCode())
                    .as("%s %s as %s", call.method(), call.path(), refused.getKey())
                    .isIn(401, 403);
            assertThat(response.contentType())
                    .as("%s %s as %s", call.method(), call.path(), refused.getKey())
                    .startsWith("application/problem+json");
        }
    }

    private static Map<String, String> refusedTokens(String self, Set<String> allowed) {
        Map<String, String> tokens = new LinkedHashMap<>();
        List<String> others = new ArrayList<>(TestKeys.SERVICES);
        others.removeAll(allowed);
        for (String other : others) {
            tokens.put(other + " (not allowed here)", Tokens.service(other, self));
        }
        UUID user = UUID.randomUUID();
        tokens.put("user", Tokens.user(user));
        tokens.put("super_admin", Tokens.admin());
        tokens.put("no token", null);
        tokens.put("alg none", Tokens.algNone());
        for (String sender : allowed) {
            String elsewhere = self.equals(ServiceNames.AUDIT) ? ServiceNames.CHECKOUT : ServiceNames.AUDIT;
            tokens.put(sender + " for audience " + elsewhere, Tokens.service(sender, elsewhere));
            tokens.put(
                    sender + " without audience",
                    Tokens.serviceSignedWith(
                            sender, null, TestKeys.service(sender).getPrivate()));
            for (String other : others) {
                tokens.put(
                        sender + " forged with " + other + "'s key",
                        Tokens.serviceSignedWith(
                                sender, self, TestKeys.service(other).getPrivate()));
            }
            tokens.put(sender + " forged with the user IdP key", Tokens.serviceFromUserIdp(sender, self));
            tokens.put(
                    sender + " forged with an unknown key",
                    Tokens.serviceSignedWith(sender, self, TestKeys.stranger().getPrivate()));
            tokens.put(sender + " expired", Tokens.expiredService(sender, self));
        }
        return tokens;
    }

    private static Response send(Call call, String token) {
        RequestSpecification spec = given().contentType("application/json");
        if (token != null) {
            spec.header("Authorization", token);
        }
        if (call.body() != null) {
            spec.body(call.body());
        }
        return spec.request(call.method(), call.path());
    }
}
