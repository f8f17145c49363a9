package org.villagehomepage.payments.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/** Points the service under test at the throwaway test keys: the user IdP's and one per service. */
public class JwtKeysResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Path userKey = TestKeys.publicKeyFile(); // writes every key file
        Path dir = userKey.getParent().getParent();
        return Map.of(
                "mp.jwt.verify.publickey.location",
                userKey.toString(),
                "mp.jwt.verify.issuer",
                TestKeys.ISSUER,
                "mp.jwt.verify.audiences",
                TestKeys.USER_AUDIENCE,
                "payments.service-identity.issuer",
                TestKeys.SERVICE_ISSUER,
                "payments.service-identity.public-keys-dir",
                dir.resolve("services/public").toString(),
                "payments.service-identity.sign-key-location",
                dir.resolve("services/${quarkus.application.name}/private.pem").toString());
    }

    @Override
    public void stop() {}
}
