package org.villagehomepage.payments.console.oidc;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/**
 * The console as production runs it: the prod config profile (so none of application.properties'
 * %test lines, which switch OIDC off for the dev login) and the production ConfigMap's variables,
 * pointed at the in-test identity provider and service stub (TestIdentityProvider).
 */
public class ProductionLogin implements QuarkusTestProfile {

    @Override
    public String getConfigProfile() {
        return "prod";
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(TestIdentityProvider.class));
    }
}
