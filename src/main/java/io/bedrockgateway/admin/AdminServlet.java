package io.bedrockgateway.admin;

import io.bedrockgateway.auth.ApiKeyExtractor;
import io.bedrockgateway.auth.GatewayPrincipal;
import io.bedrockgateway.auth.KeyVerifier;
import io.bedrockgateway.auth.PresentedKey;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Base of the admin servlets: authenticates every call with the master key before anything else (no key: 401, any
 * other key, virtual keys included: 403, both {@code auth_error}), hands the call to {@link #handle}, and writes its
 * answer or its {@link AdminException} as JSON. Unexpected failures (a repository down) become a 500 whose message
 * says nothing about the cause; the cause is logged.
 *
 * <p>Threading: the repositories block on JDBC and admin calls are rare, so handlers run synchronously on the
 * container thread; no async processing. Subclasses hold only thread-safe collaborators.
 */
abstract class AdminServlet extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(AdminServlet.class.getName());
    private final transient KeyVerifier master;

    AdminServlet(KeyVerifier master) {
        this.master = master;
    }

    @Override
    protected final void service(HttpServletRequest clientRequest, HttpServletResponse clientResponse)
            throws IOException {
        try {
            authenticate(clientRequest);
            String path = clientRequest.getServletPath()
                    + (clientRequest.getPathInfo() == null ? "" : clientRequest.getPathInfo());
            Object answer = handle(clientRequest, clientResponse, path);
            AdminJson.write(clientResponse, 200, answer);
        } catch (AdminException e) {
            AdminJson.writeError(clientResponse, e);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "admin call " + clientRequest.getMethod() + " " + clientRequest.getRequestURI()
                    + " failed", e);
            AdminJson.writeError(clientResponse, new AdminException(500, AdminException.INTERNAL, null,
                    "internal error; see the gateway log"));
        }
    }

    /**
     * Serves one authenticated call.
     *
     * @param path servlet path and path info, e.g. {@code /key/generate}
     * @return the JSON answer (maps, lists, strings, numbers, {@code BigDecimal}s) sent with status 200
     * @throws AdminException for any client error
     */
    abstract Object handle(HttpServletRequest clientRequest, HttpServletResponse clientResponse, String path)
            throws IOException;

    /** @throws AdminException 405 unless the call uses {@code method} */
    static void requireMethod(HttpServletRequest clientRequest, String method) {
        if (!method.equals(clientRequest.getMethod())) {
            throw new AdminException(405, AdminException.BAD_REQUEST, null,
                    clientRequest.getMethod() + " is not allowed here; use " + method);
        }
    }

    static AdminException unknownRoute(HttpServletRequest clientRequest, String path) {
        return AdminException.notFound(null, "no admin route " + clientRequest.getMethod() + " " + path);
    }

    private void authenticate(HttpServletRequest clientRequest) {
        Optional<PresentedKey> key = ApiKeyExtractor.extract(clientRequest);
        if (key.isEmpty()) {
            throw new AdminException(401, AdminException.AUTH_ERROR, null,
                    "Authentication Error: no API key passed in. Send the master key as 'Authorization: Bearer <key>'"
                            + " or in the x-api-key or x-litellm-api-key header.");
        }
        Optional<GatewayPrincipal> principal = master.verify(key.get());
        if (principal.isEmpty() || !principal.get().master()) {
            throw new AdminException(403, AdminException.AUTH_ERROR, null,
                    "Authentication Error: this route requires the master key.");
        }
    }
}
