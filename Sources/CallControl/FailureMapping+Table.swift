// Meta's Graph error codes and what a SIP caller gets for each (the table
// "Cloud API errors on `connect`" in docs/call-flows.md; Meta's meanings and
// sources in docs/whatsapp.md#errors).

extension FailureMapping {
    /// The rule for a Graph error: its code's row, else the row of its HTTP status class.
    public static func rule(code: Int, httpStatus: Int) -> GraphErrorRule {
        rulesByCode[code] ?? fallback(httpStatus: httpStatus)
    }

    /// Whether `code` is one of Meta's codes this table or the terminate-only table
    /// names: the bounded set a metric may carry as a label.
    public static func isDocumented(code: Int) -> Bool {
        rulesByCode[code] != nil || terminateAdvice[code] != nil || code == noPermissionCode
    }

    /// Codes Meta documents, each with a specific answer. Principles: a refusal of
    /// this one call is 4xx (404 not reachable, 403 not allowed, 486 busy, 488 SDP,
    /// 480 + Retry-After for a per-user limit); whatever stops every call through the
    /// number (token, account, settings, Meta's limits and outages) is 503, so a
    /// PBX fails over as it does for a dead trunk, with Retry-After when waiting helps.
    public static let table: [GraphErrorRule] = [
        .init([100], 488, .whatsAppError, reason: "WhatsApp refused a parameter",
              advice: "Meta refused a request parameter, usually the SDP"),
        .init([190], 503, .whatsAppError, reason: "WhatsApp access token invalid",
              advice: "access token expired or invalid: set a new [whatsapp] access_token"),
        .init([10, 131005], 503, .whatsAppError, reason: "WhatsApp access denied",
              advice: "the token lacks the whatsapp_business_messaging permission for this number"),
        .init([368, 131031], 503, .whatsAppError, reason: "WhatsApp account restricted",
              advice: "business account locked or restricted: see WhatsApp Manager"),
        .init([131042, 131044], 503, .whatsAppError, reason: "WhatsApp payment issue",
              advice: "no valid payment method: attach one to the WhatsApp Business Account"),
        .init([4, 80007, 130429], 503, .limit, retryAfter: true, reason: "WhatsApp API rate limit",
              advice: "app or account Graph API rate limit reached: retry later"),
        .init([613], 503, .limit, retryAfter: true, reason: "WhatsApp permission look-up rate limit",
              advice: "call permission look-up rate limit reached: retry later"),
        .init([131056], 503, .limit, retryAfter: true, reason: "WhatsApp per-user rate limit",
              advice: "too many requests to this user: retry later"),
        .init([2, 131000, 131016, 138004], 503, .whatsAppError, retryAfter: true, reason: "WhatsApp service error",
              advice: "failure at Meta: retry later"),
        .init([131008], 502, .whatsAppError, reason: "WhatsApp says a parameter is missing",
              advice: "required parameter missing: check graph_version and report it"),
        .init([131009], 403, .forbidden, reason: "WhatsApp refused a parameter value",
              advice: "value not valid: check the number and that the business number's country has calling"),
        .init([131026], 404, .whatsAppError, reason: "Not reachable on WhatsApp",
              advice: "undeliverable: user not on WhatsApp, has blocked the number or uses an old client"),
        .init([131030], 403, .forbidden, reason: "Recipient not in allowed list",
              advice: "recipient not in the test number's allowed list: add it in App Dashboard"),
        .init([131055], 503, .whatsAppError, reason: "WhatsApp number in SIP mode",
              advice: "number is in SIP mode: set calling.sip.status DISABLED"),
        .init([138000], 503, .whatsAppError, reason: "WhatsApp calling not enabled",
              advice: "calling is not enabled on the number: enable it in its calling settings"),
        .init([138001], 404, .whatsAppError, reason: "Not a callable WhatsApp user",
              advice: "user cannot receive calls: not on WhatsApp, old client or terms not accepted"),
        .init([138002], 503, .limit, retryAfter: true, reason: "WhatsApp concurrent call limit",
              advice: "the number's concurrent call limit is reached: retry later"),
        .init([138003], 486, .busy, reason: "Already in a call with this user",
              advice: "a call with this user is already ongoing"),
        .init([138005], 503, .limit, retryAfter: true, reason: "WhatsApp call rate limit",
              advice: "the number's call rate limit is reached: retry later"),
        .init([noPermissionCode], 403, .noPermission, reason: noPermissionText,
              advice: "no call permission from this user: ask for it first"),
        .init([138007], 504, .whatsAppError, reason: "WhatsApp connect timeout",
              advice: "Meta could not apply the SDP in time"),
        .init([138009], 403, .forbidden, reason: "WhatsApp permission request limit",
              advice: "call permission request limit for this user reached"),
        .init([138012], 480, .limit, retryAfter: true, reason: "Daily call limit for this user",
              advice: "100 connected calls to this user in 24 h reached: call after Retry-After"),
        .init([138013], 403, .forbidden, reason: "Business-initiated calling unavailable",
              advice: "business-initiated calling is not available for this number's country"),
        .init([138014], 503, .whatsAppError, reason: "WhatsApp calling temporarily disabled",
              advice: "calling disabled for low quality until Meta lifts the restriction"),
        .init([138015], 503, .whatsAppError, reason: "WhatsApp calling cannot be enabled",
              advice: "calling cannot be enabled: the messaging limit must be 2000 or more"),
        .init([138017], 502, .whatsAppError, reason: "WhatsApp permission already permanent",
              advice: "a permanent permission already exists: no request needed"),
        .init([138018], 503, .whatsAppError, reason: "WhatsApp calling prerequisites not met",
              advice: "no app subscribed to the calls webhook field: subscribe the app"),
    ]

    /// An unlisted code, by HTTP status: 429 → 503 + Retry-After; 5xx → 503 +
    /// Retry-After (an outage); 401/403 → 503 (credentials: no call can pass);
    /// any other → 502 Bad Gateway, the answer a gateway gives for an upstream
    /// answer it cannot use (Asterisk: DESTINATION_OUT_OF_ORDER, FreeSWITCH:
    /// NETWORK_OUT_OF_ORDER), never 500, which would blame wagate itself.
    static func fallback(httpStatus: Int) -> GraphErrorRule {
        switch httpStatus {
        case 429:
            .init([], 503, .limit, retryAfter: true, reason: "WhatsApp rate limit",
                  advice: "Meta rate-limited the request: retry later")
        case 500...599:
            .init([], 503, .whatsAppError, retryAfter: true, reason: "WhatsApp service error",
                  advice: "failure at Meta: retry later")
        case 401, 403:
            .init([], 503, .whatsAppError, reason: "WhatsApp refused the credentials",
                  advice: "check the access token and the app's permissions")
        default:
            .init([], 502, .whatsAppError, reason: "WhatsApp refused the request",
                  advice: "error not known to wagate: see the log (fbtrace_id)")
        }
    }

    /// The table by code.
    static let rulesByCode: [Int: GraphErrorRule] = {
        var rules: [Int: GraphErrorRule] = [:]
        for rule in table {
            for code in rule.codes { rules[code] = rule }
        }
        return rules
    }()
}
