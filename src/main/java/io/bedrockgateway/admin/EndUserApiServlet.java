package io.bedrockgateway.admin;

import io.bedrockgateway.auth.KeyVerifier;
import io.bedrockgateway.spend.SpendLogRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code GET /end_user/info?end_user_id=...} (also {@code /customer/info}, LiteLLM's newer name): an end user's
 * accumulated spend and, when the config gives one, the budget, in LiteLLM's {@code LiteLLM_EndUserTable} shape.
 * End users are not registered here, so an unknown one is answered with spend 0, not 404.
 *
 * <p>Thread-safe. Runs on the container thread and blocks on the repository (admin calls are rare).
 */
final class EndUserApiServlet extends AdminServlet {
    private static final Set<String> PARAMS = Set.of("end_user_id");

    private final transient SpendLogRepository spend;
    private final transient Function<String, Optional<BigDecimal>> budgets;

    EndUserApiServlet(KeyVerifier master, SpendLogRepository spend, Function<String, Optional<BigDecimal>> budgets) {
        super(master);
        this.spend = spend;
        this.budgets = budgets;
    }

    @Override
    Object handle(HttpServletRequest clientRequest, HttpServletResponse clientResponse, String path) {
        if (!"/end_user/info".equals(path) && !"/customer/info".equals(path)) {
            throw unknownRoute(clientRequest, path);
        }
        requireMethod(clientRequest, "GET");
        String endUser = QueryParams.parse(clientRequest.getQueryString(), PARAMS).get("end_user_id");
        if (endUser == null) {
            throw AdminException.badRequest("end_user_id", "end_user_id is required");
        }
        Optional<BigDecimal> budget = budgets.apply(endUser);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("user_id", endUser);
        answer.put("spend", spend.endUserSpend(endUser));
        answer.put("blocked", false);
        answer.put("litellm_budget_table", budget == null || budget.isEmpty() ? null
                : Map.of("max_budget", budget.get()));
        return answer;
    }
}
