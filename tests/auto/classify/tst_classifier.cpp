// Classifier behaviour, row by row from the seeds (../shared/seeds/) and DESIGN §2-§4.
// Expectations come from the vendor documents, not from what the code happens to do.

#include "categoryrules.h"
#include "classifier.h"
#include "eventjson.h"
#include "testsupport.h"

#include <QTest>

using namespace hd;

Q_DECLARE_METATYPE(hd::Category)
Q_DECLARE_METATYPE(hd::ErrorType)
Q_DECLARE_METATYPE(hd::RetryAction)
Q_DECLARE_METATYPE(hd::Outcome)
Q_DECLARE_METATYPE(std::optional<int>)

namespace {

constexpr qint64 Now = 1795298400000; // 2026-11-21T22:00:00Z

RawHeaders toHeaders(const QByteArrayList &lines)
{
    RawHeaders out;
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        out.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return out;
}

const Classifier &classifier()
{
    // A registry without user directories keeps the tests hermetic.
    static const Classifier c(std::make_shared<ProfileRegistry>());
    return c;
}

Explanation &lastExplanation()
{
    static Explanation x;
    return x;
}

// Every row of every table is classified with explain on, and the explanation must name the
// rule behind each decision ("<profile>:<pointer into the profile file>" or "builtin:…").
void checkExplained(const ApiEvent &e, const Explanation &x, const char *file, int line)
{
    auto fail = [&](const QString &what) {
        QTest::qFail(qPrintable(QStringLiteral("explain: ") + what), file, line);
    };
    auto namesRule = [](const QString &s) {
        const qsizetype colon = s.indexOf(u':');
        return colon > 0 && !s.left(colon).contains(u' ');
    };
    if (x.profile.isEmpty() || !x.profile.startsWith(e.profile))
        return fail(QStringLiteral("profile \"%1\" does not name %2").arg(x.profile, e.profile));
    if (!namesRule(x.category))
        return fail(QStringLiteral("category \"%1\" names no rule").arg(x.category));
    if (!namesRule(x.retry))
        return fail(QStringLiteral("retry \"%1\" names no rule").arg(x.retry));
    if (e.error) {
        if (!namesRule(x.message))
            return fail(QStringLiteral("message \"%1\" names no rule").arg(x.message));
        if (!e.error->code.isEmpty() && (!namesRule(x.code) || x.code.startsWith(u"none")))
            return fail(QStringLiteral("code %1 from \"%2\"").arg(e.error->code, x.code));
    }
}

ApiEvent classify(std::optional<int> status, const QByteArray &body,
                  const QByteArrayList &headers = {},
                  const QString &profile = QStringLiteral("auto"),
                  // The caller's place (clang 14 has no std::source_location; both compilers
                  // have these builtins, evaluated where the call is written).
                  const char *file = __builtin_FILE(), const int line = __builtin_LINE())
{
    ClassifyInput in;
    in.status = status;
    in.body = body;
    in.headers = toHeaders(headers);
    in.profile = profile;
    in.nowMs = Now;
    Explanation why;
    ApiEvent e = classifier().classify(in, &why);
    checkExplained(e, why, file, line);
    lastExplanation() = why;
    // Without an explanation the verdict is the same.
    const ApiEvent plain = classifier().classify(in);
    if (plain.category != e.category || plain.error != e.error || plain.retry != e.retry
        || plain.identifiers != e.identifiers)
        QTest::qFail("classifying with an explanation changed the verdict", file, line);
    return e;
}

ApiEvent classifyNetworkError(const QString &name)
{
    ClassifyInput in;
    in.networkError = name;
    in.nowMs = Now;
    return classifier().classify(in);
}

QString detailsText(const ApiEvent &e)
{
    QStringList parts;
    if (e.error)
        for (const auto &d : e.error->details)
            parts.append(d.field + u'=' + d.message);
    return parts.join(u'|');
}

} // namespace

class TestClassifier : public QObject
{
    Q_OBJECT
private slots:
    // seed 000
    void httpStatus_mapsToCategoryTypeAndRetryAction_data();
    void httpStatus_mapsToCategoryTypeAndRetryAction();
    void connectionError_mapsToConnectionCategory_data();
    void connectionError_mapsToConnectionCategory();
    void connectionError_unknownNameIsNetworkOther();
    // seed 001
    void signals_everyErrorCodeHasItsMeaning_data();
    void signals_everyErrorCodeHasItsMeaning();
    void signals_detailsArrayPathBecomesDottedField();
    void signals_detailsObjectCarriesConflictIdentifiers_data();
    void signals_detailsObjectCarriesConflictIdentifiers();
    void signals_createdAndAcceptedAreSuccess_data();
    void signals_createdAndAcceptedAreSuccess();
    // seed 002
    void codeMessage_numericCodeBecomesString();
    void codeMessage_statusGuidance_data();
    void codeMessage_statusGuidance();
    // seed 003
    void tradovate_okFalseInA200IsBusinessRejected();
    void tradovate_violationsBecomeDetails();
    void tradovate_everyFailureReason_data();
    void tradovate_everyFailureReason();
    void tradovate_everySignupAndSubscriptionErrorCode_data();
    void tradovate_everySignupAndSubscriptionErrorCode();
    void tradovate_423And429Semantics_data();
    void tradovate_423And429Semantics();
    void tradovate_statusAdvice_data();
    void tradovate_statusAdvice();
    void tradovate_webSocketFrameCarriesItsOwnStatus_data();
    void tradovate_webSocketFrameCarriesItsOwnStatus();
    // seed 004
    void errorEnvelope_everyErrorCode_data();
    void errorEnvelope_everyErrorCode();
    void errorEnvelope_everyErrorType_data();
    void errorEnvelope_everyErrorType();
    void errorEnvelope_fullResponseKeepsDetailsAndTraceId();
    // DESIGN rules
    void retryAfter_winsOverEveryOtherSignal_data();
    void retryAfter_winsOverEveryOtherSignal();
    void exhaustedQuota_isRateLimitedWhateverTheStatus_data();
    void exhaustedQuota_isRateLimitedWhateverTheStatus();
    void grpcStatus14_isStreamDroppedWhateverTheStatus_data();
    void grpcStatus14_isStreamDroppedWhateverTheStatus();
    void autoDetection_picksTheProfileForEachBodyShape_data();
    void autoDetection_picksTheProfileForEachBodyShape();
    void generic_findsMessageAndCode_data();
    void generic_findsMessageAndCode();
    void identifiers_comeFromHeadersAndBody_data();
    void identifiers_comeFromHeadersAndBody();
    // bad input
    void badInput_isClassifiedByStatusWithAClearMessage_data();
    void badInput_isClassifiedByStatusWithAClearMessage();
    void badInput_deeplyNestedJsonDoesNotCrash();
    void badInput_sixMegabyteJsonIsParsed();
    void badInput_binaryBodyIsDescribedNotCopied();
    void badInput_invalidUtf8IsReplacedNotFatal();
    void response_bodyIsCappedAt64KiBAndSizeIsFull();
    void response_secretsInBodyAndHeadersAreRedacted();
    void unknownStatus_isClassifiedByRange_data();
    void unknownStatus_isClassifiedByRange();
    void noStatusAndNoNetworkError_saysSo();
    // dialects HealthDeck had never seen (issue 18), each with its success twin
    void dialects_everyFamilyAndItsSuccessTwin_data();
    void dialects_everyFamilyAndItsSuccessTwin();
    void grpcStatus_everyCodeHasACategoryAndAction_data();
    void grpcStatus_everyCodeHasACategoryAndAction();
    void wwwAuthenticate_scopeBecomesADetail();
    void topLevelErrorArray_everyElementIsADetail();
    void explain_namesTheRuleThatDecided_data();
    void explain_namesTheRuleThatDecided();
    void explain_isOmittedUnlessAskedFor();
};

// ---- seed 000 ------------------------------------------------------------------------------

void TestClassifier::httpStatus_mapsToCategoryTypeAndRetryAction_data()
{
    QTest::addColumn<QString>("profile");
    QTest::addColumn<int>("status");
    QTest::addColumn<Category>("category");
    QTest::addColumn<ErrorType>("type");
    QTest::addColumn<RetryAction>("action");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<Outcome>("outcome");

    using C = Category;
    using T = ErrorType;
    using A = RetryAction;
    const struct
    {
        int status;
        C category;
        T type;
        A action;
        bool retryable;
        Outcome outcome;
    } rows[] = {
        {400, C::BadRequest, T::Validation, A::FixRequest, false, Outcome::ClientError},
        {401, C::Unauthorized, T::Authentication, A::RefreshToken, true, Outcome::ClientError},
        {403, C::Forbidden, T::Authorization, A::RequestScope, false, Outcome::ClientError},
        {404, C::NotFound, T::NotFound, A::None, false, Outcome::ClientError},
        {405, C::MethodNotAllowed, T::Validation, A::FixRequest, false, Outcome::ClientError},
        {409, C::Conflict, T::Conflict, A::ResolveConflict, false, Outcome::ClientError},
        {413, C::PayloadTooLarge, T::Validation, A::ReducePayload, false, Outcome::ClientError},
        {422, C::Unprocessable, T::Validation, A::FixRequest, false, Outcome::ClientError},
        {429, C::RateLimited, T::RateLimit, A::RetryAfter, true, Outcome::ClientError},
        {500, C::InternalError, T::Internal, A::RetryBackoff, true, Outcome::ServerError},
        {502, C::BadGateway, T::Unavailable, A::RetryBackoff, true, Outcome::ServerError},
        {503, C::Unavailable, T::Unavailable, A::RetryBackoff, true, Outcome::ServerError},
        {504, C::GatewayTimeout, T::Timeout, A::RetryBackoff, true, Outcome::ServerError},
    };
    for (const QString &profile : {QStringLiteral("auto"), QStringLiteral("generic")})
        for (const auto &r : rows)
            QTest::addRow("%s %d", qPrintable(profile), r.status)
                << profile << r.status << r.category << r.type << r.action << r.retryable
                << r.outcome;
}

void TestClassifier::httpStatus_mapsToCategoryTypeAndRetryAction()
{
    QFETCH(QString, profile);
    QFETCH(int, status);
    QFETCH(Category, category);
    QFETCH(ErrorType, type);
    QFETCH(RetryAction, action);
    QFETCH(bool, retryable);
    QFETCH(Outcome, outcome);

    const ApiEvent e = classify(status, {}, {}, profile);
    HD_COMPARE_ENUM(e.category, category);
    HD_COMPARE_ENUM(e.outcome, outcome);
    QVERIFY(e.error);
    HD_COMPARE_ENUM(e.error->type, type);
    HD_COMPARE_ENUM(e.retry.action, action);
    QCOMPARE(e.retry.retryable, retryable);
    QVERIFY(!e.retry.advice.isEmpty());
    QVERIFY2(!e.error->message.isEmpty(), "an empty body still gets the reason phrase");
    QCOMPARE(e.httpStatus, std::optional<int>(status));
    QVERIFY(e.networkError.isEmpty());
}

void TestClassifier::connectionError_mapsToConnectionCategory_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<Category>("category");
    QTest::addColumn<ErrorType>("type");

    using C = Category;
    QTest::newRow("ECONNRESET") << "ECONNRESET"
                                << "ECONNRESET" << C::ConnectionReset << ErrorType::Network;
    QTest::newRow("EPIPE") << "EPIPE"
                           << "EPIPE" << C::BrokenPipe << ErrorType::Network;
    QTest::newRow("ECONNREFUSED") << "ECONNREFUSED"
                                  << "ECONNREFUSED" << C::ConnectionRefused << ErrorType::Network;
    QTest::newRow("ETIMEDOUT") << "ETIMEDOUT"
                               << "ETIMEDOUT" << C::Timeout << ErrorType::Timeout;
    QTest::newRow("other side closed")
        << "other side closed"
        << "other side closed" << C::RemoteClosed << ErrorType::Network;
    QTest::newRow("SocketError: other side closed")
        << "SocketError: other side closed"
        << "other side closed" << C::RemoteClosed << ErrorType::Network;
    QTest::newRow("14 UNAVAILABLE")
        << "14 UNAVAILABLE"
        << "14 UNAVAILABLE" << C::StreamDropped << ErrorType::Unavailable;
    QTest::newRow("DNS ENOTFOUND") << "ENOTFOUND"
                                   << "ENOTFOUND" << C::DnsFailure << ErrorType::Network;
    QTest::newRow("DNS EAI_AGAIN") << "EAI_AGAIN"
                                   << "EAI_AGAIN" << C::DnsFailure << ErrorType::Network;
    QTest::newRow("DNS category name") << "dns_failure"
                                       << "ENOTFOUND" << C::DnsFailure << ErrorType::Network;
    QTest::newRow("TLS expired cert") << "CERT_HAS_EXPIRED"
                                      << "CERT_HAS_EXPIRED" << C::TlsFailure << ErrorType::Network;
    QTest::newRow("DNS NXDOMAIN") << "NXDOMAIN"
                                  << "ENOTFOUND" << C::DnsFailure << ErrorType::Network;
    QTest::newRow("TLS wrong host")
        << "ERR_TLS_CERT_ALTNAME_INVALID"
        << "ERR_TLS_CERT_ALTNAME_INVALID" << C::TlsFailure << ErrorType::Network;
    QTest::newRow("TLS pin") << "CERT_PIN_MISMATCH"
                             << "CERT_PIN_MISMATCH" << C::TlsFailure << ErrorType::Network;
    QTest::newRow("TLS client cert")
        << "CLIENT_CERT_REJECTED"
        << "CLIENT_CERT_REJECTED" << C::TlsFailure << ErrorType::Network;
    QTest::newRow("TLS category name")
        << "tls_failure"
        << "TLS handshake failed" << C::TlsFailure << ErrorType::Network;
    QTest::newRow("lower case econnreset")
        << "econnreset"
        << "ECONNRESET" << C::ConnectionReset << ErrorType::Network;
}

void TestClassifier::connectionError_mapsToConnectionCategory()
{
    QFETCH(QString, name);
    QFETCH(QString, canonical);
    QFETCH(Category, category);
    QFETCH(ErrorType, type);

    const ApiEvent e = classifyNetworkError(name);
    HD_COMPARE_ENUM(e.category, category);
    HD_COMPARE_ENUM(e.outcome, Outcome::ConnectionError);
    QCOMPARE(e.networkError, canonical);
    QVERIFY(!e.httpStatus);
    QVERIFY(e.error);
    HD_COMPARE_ENUM(e.error->type, type);
    QVERIFY(!e.retry.advice.isEmpty());
    if (category == Category::TlsFailure || canonical == u"ENOTFOUND") {
        // A certificate problem does not go away by itself: fix the CA or the certificate.
        // A name that does not exist (NXDOMAIN) will not exist on the next try either.
        HD_COMPARE_ENUM(e.retry.action, RetryAction::None);
        QVERIFY(!e.retry.retryable);
        if (canonical == u"ENOTFOUND")
            QVERIFY(e.retry.advice.contains(u"NXDOMAIN"));
    } else {
        // EAI_AGAIN, a resolver that could not answer for now, is retried like other
        // transient network errors.
        // seed 000: network errors are retried with exponential backoff.
        HD_COMPARE_ENUM(e.retry.action, RetryAction::RetryBackoff);
        QVERIFY(e.retry.retryable);
    }
}

void TestClassifier::connectionError_unknownNameIsNetworkOther()
{
    const ApiEvent e = classifyNetworkError(QStringLiteral("EWHATEVER"));
    HD_COMPARE_ENUM(e.category, Category::NetworkOther);
    HD_COMPARE_ENUM(e.outcome, Outcome::ConnectionError);
    QCOMPARE(e.networkError, QStringLiteral("EWHATEVER"));
    HD_COMPARE_ENUM(e.retry.action, RetryAction::RetryBackoff);
}

// ---- seed 001 ------------------------------------------------------------------------------

void TestClassifier::signals_everyErrorCodeHasItsMeaning_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("status");
    QTest::addColumn<Category>("category");
    QTest::addColumn<ErrorType>("type");
    QTest::addColumn<RetryAction>("action");
    QTest::addColumn<bool>("retryable");

    using C = Category;
    using T = ErrorType;
    using A = RetryAction;
    QTest::newRow("VALIDATION_ERROR")
        << "VALIDATION_ERROR" << 400 << C::BadRequest << T::Validation << A::FixRequest << false;
    QTest::newRow("SIGNAL_REJECTED")
        << "SIGNAL_REJECTED" << 400 << C::BadRequest << T::BusinessRule << A::FixRequest << false;
    QTest::newRow("ACCOUNT_NOT_FOUND")
        << "ACCOUNT_NOT_FOUND" << 404 << C::NotFound << T::NotFound << A::None << false;
    QTest::newRow("STRATEGY_NOT_FOUND")
        << "STRATEGY_NOT_FOUND" << 404 << C::NotFound << T::NotFound << A::None << false;
    QTest::newRow("INSUFFICIENT_FUNDS")
        << "INSUFFICIENT_FUNDS" << 400 << C::BadRequest << T::BusinessRule << A::None << false;
    QTest::newRow("MARKET_CLOSED")
        << "MARKET_CLOSED" << 400 << C::BadRequest << T::BusinessRule << A::None << false;
    QTest::newRow("SERVICE_DISABLED")
        << "SERVICE_DISABLED" << 503 << C::Unavailable << T::Unavailable << A::RetryBackoff << true;
    QTest::newRow("DUPLICATE_INTENT")
        << "DUPLICATE_INTENT" << 409 << C::Conflict << T::Conflict << A::ResolveConflict << false;
    QTest::newRow("OPPOSING_POSITION_OPEN") << "OPPOSING_POSITION_OPEN" << 409 << C::Conflict
                                            << T::Conflict << A::ResolveConflict << false;
    QTest::newRow("RECALC_WOULD_OVER_EXPOSE") << "RECALC_WOULD_OVER_EXPOSE" << 409 << C::Conflict
                                              << T::Conflict << A::ResolveConflict << false;
    // The generic HTTP rows of seed 001's status table, with its body shape.
    QTest::newRow("401 invalid API key")
        << "UNAUTHORIZED" << 401 << C::Unauthorized << T::Authentication << A::RefreshToken << true;
    QTest::newRow("403 insufficient permissions")
        << "FORBIDDEN" << 403 << C::Forbidden << T::Authorization << A::RequestScope << false;
    QTest::newRow("429 rate limited")
        << "RATE_LIMITED" << 429 << C::RateLimited << T::RateLimit << A::RetryAfter << true;
    QTest::newRow("500 internal") << "INTERNAL_ERROR" << 500 << C::InternalError << T::Internal
                                  << A::RetryBackoff << true;
}

void TestClassifier::signals_everyErrorCodeHasItsMeaning()
{
    QFETCH(QString, code);
    QFETCH(int, status);
    QFETCH(Category, category);
    QFETCH(ErrorType, type);
    QFETCH(RetryAction, action);
    QFETCH(bool, retryable);

    const QByteArray body = R"({"error":"Error message","code":")" + code.toUtf8() + R"("})";
    const ApiEvent e = classify(status, body, {"Content-Type: application/json"});
    QCOMPARE(e.profile, QStringLiteral("signals"));
    HD_COMPARE_ENUM(e.category, category);
    QVERIFY(e.error);
    QCOMPARE(e.error->code, code);
    QCOMPARE(e.error->message, QStringLiteral("Error message"));
    HD_COMPARE_ENUM(e.error->type, type);
    HD_COMPARE_ENUM(e.retry.action, action);
    QCOMPARE(e.retry.retryable, retryable);
    QVERIFY(!e.retry.advice.isEmpty());
}

void TestClassifier::signals_detailsArrayPathBecomesDottedField()
{
    const QByteArray body = R"({"error":"Request body failed validation","code":"VALIDATION_ERROR",
        "details":[{"path":["order","qty"],"message":"Expected number, received string"},
                   {"path":["symbol"],"message":"Required"}]})";
    const ApiEvent e = classify(400, body);
    QCOMPARE(e.profile, QStringLiteral("signals"));
    QVERIFY(e.error);
    QCOMPARE(e.error->details.size(), 2);
    QCOMPARE(e.error->details[0].field, QStringLiteral("order.qty"));
    QCOMPARE(e.error->details[0].message, QStringLiteral("Expected number, received string"));
    QCOMPARE(e.error->details[1].field, QStringLiteral("symbol"));
    QCOMPARE(e.error->details[1].message, QStringLiteral("Required"));
}

void TestClassifier::signals_detailsObjectCarriesConflictIdentifiers_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("conflictingSignalId");
    QTest::addColumn<QString>("conflictingTradeId");
    QTest::addColumn<QString>("details");

    QTest::newRow("DUPLICATE_INTENT") << QByteArray(
        R"({"error":"duplicate intent","code":"DUPLICATE_INTENT","details":{"conflictingSignalId":"sig_8f2"}})")
                                      << "sig_8f2"
                                      << ""
                                      << "conflictingSignalId=sig_8f2";
    QTest::newRow("OPPOSING_POSITION_OPEN") << QByteArray(
        R"({"error":"opposing position","code":"OPPOSING_POSITION_OPEN","details":{"conflictingTradeId":"trd_77"}})")
                                            << ""
                                            << "trd_77"
                                            << "conflictingTradeId=trd_77";
    QTest::newRow("RECALC_WOULD_OVER_EXPOSE") << QByteArray(
        R"({"error":"over expose","code":"RECALC_WOULD_OVER_EXPOSE","details":{"exceedsBy":25,"conflictingTradeIds":["trd_9","trd_4"]}})")
                                              << ""
                                              << "trd_9"
                                              << R"(conflictingTradeIds=["trd_9","trd_4"]|exceedsBy=25)";
    QTest::newRow("numeric ids") << QByteArray(
        R"({"error":"duplicate intent","code":"DUPLICATE_INTENT","details":{"conflictingSignalId":12345}})")
                                 << "12345"
                                 << ""
                                 << "conflictingSignalId=12345";
}

void TestClassifier::signals_detailsObjectCarriesConflictIdentifiers()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, conflictingSignalId);
    QFETCH(QString, conflictingTradeId);
    QFETCH(QString, details);

    const ApiEvent e = classify(409, body);
    QCOMPARE(e.profile, QStringLiteral("signals"));
    HD_COMPARE_ENUM(e.category, Category::Conflict);
    HD_COMPARE_ENUM(e.retry.action, RetryAction::ResolveConflict);
    QCOMPARE(e.identifiers.conflictingSignalId, conflictingSignalId);
    QCOMPARE(e.identifiers.conflictingTradeId, conflictingTradeId);
    QCOMPARE(detailsText(e), details);
}

void TestClassifier::signals_createdAndAcceptedAreSuccess_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("200") << 200;
    QTest::newRow("201 signal executed") << 201;
    QTest::newRow("202 signal scheduled") << 202;
}

void TestClassifier::signals_createdAndAcceptedAreSuccess()
{
    QFETCH(int, status);
    const ApiEvent e
        = classify(status, R"({"id":"sig_1","status":"scheduled","accountId":"acc_1"})");
    HD_COMPARE_ENUM(e.category, Category::Ok);
    HD_COMPARE_ENUM(e.outcome, Outcome::Success);
    QVERIFY(!e.error);
    HD_COMPARE_ENUM(e.retry.action, RetryAction::None);
    QVERIFY(!e.retry.retryable);
    QCOMPARE(e.identifiers.accountId, QStringLiteral("acc_1"));
}

// ---- seed 002 ------------------------------------------------------------------------------

void TestClassifier::codeMessage_numericCodeBecomesString()
{
    const ApiEvent e
        = classify(400, R"({"code": 1234, "message": "Invalid attribute: name", "details": []})");
    QCOMPARE(e.profile, QStringLiteral("code-message"));
    QVERIFY(e.error);
    QCOMPARE(e.error->code, QStringLiteral("1234"));
    QCOMPARE(e.error->message, QStringLiteral("Invalid attribute: name"));
    HD_COMPARE_ENUM(e.category, Category::BadRequest);
    QVERIFY(e.error->details.isEmpty());
}

void TestClassifier::codeMessage_statusGuidance_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<Category>("category");
    QTest::addColumn<RetryAction>("action");
    QTest::addColumn<QString>("adviceMentions");

    QTest::newRow("401 refresh") << 401 << Category::Unauthorized << RetryAction::RefreshToken
                                 << "refresh the access token";
    QTest::newRow("403 roles") << 403 << Category::Forbidden << RetryAction::RequestScope
                               << "roles";
    QTest::newRow("429 reuse tokens")
        << 429 << Category::RateLimited << RetryAction::RetryAfter << "reuse access tokens";
    QTest::newRow("500 normal share")
        << 500 << Category::InternalError << RetryAction::RetryBackoff << "1%";
    QTest::newRow("502 normal share")
        << 502 << Category::BadGateway << RetryAction::RetryBackoff << "1%";
    QTest::newRow("503 normal share")
        << 503 << Category::Unavailable << RetryAction::RetryBackoff << "1%";
    QTest::newRow("504 normal share")
        << 504 << Category::GatewayTimeout << RetryAction::RetryBackoff << "1%";
}

void TestClassifier::codeMessage_statusGuidance()
{
    QFETCH(int, status);
    QFETCH(Category, category);
    QFETCH(RetryAction, action);
    QFETCH(QString, adviceMentions);

    const ApiEvent e
        = classify(status, R"({"code": 5001, "message": "scaling up", "details": []})");
    QCOMPARE(e.profile, QStringLiteral("code-message"));
    HD_COMPARE_ENUM(e.category, category);
    HD_COMPARE_ENUM(e.retry.action, action);
    QVERIFY2(e.retry.advice.contains(adviceMentions), qPrintable(e.retry.advice));
    QCOMPARE(e.error->code, QStringLiteral("5001"));
}

// ---- seed 003 ------------------------------------------------------------------------------

void TestClassifier::tradovate_okFalseInA200IsBusinessRejected()
{
    const ApiEvent e = classify(200, R"({"errorText": "Operation failed", "ok": false})");
    QCOMPARE(e.profile, QStringLiteral("tradovate"));
    HD_COMPARE_ENUM(e.category, Category::BusinessRejected);
    HD_COMPARE_ENUM(e.outcome, Outcome::BusinessError);
    QVERIFY(e.error);
    QCOMPARE(e.error->message, QStringLiteral("Operation failed"));
    HD_COMPARE_ENUM(e.error->type, ErrorType::BusinessRule);
    QVERIFY(!e.retry.advice.isEmpty());

    const ApiEvent fine = classify(200, R"({"ok": true})");
    HD_COMPARE_ENUM(fine.category, Category::Ok);
    QVERIFY(!fine.error);
}

void TestClassifier::tradovate_violationsBecomeDetails()
{
    const QByteArray body = R"({"violations": [
        {"constraint": "required_field_missing", "value": "", "description": "First Name should be specified"},
        {"constraint": "length_exceeded", "value": "very long string...", "description": "First Name should be no longer than 64"}]})";
    const ApiEvent e = classify(200, body);
    QCOMPARE(e.profile, QStringLiteral("tradovate"));
    HD_COMPARE_ENUM(e.category, Category::BusinessRejected);
    QVERIFY(e.error);
    HD_COMPARE_ENUM(e.error->type, ErrorType::Validation);
    HD_COMPARE_ENUM(e.retry.action, RetryAction::FixRequest);
    QCOMPARE(e.error->code, QStringLiteral("required_field_missing"));
    QCOMPARE(e.error->message, QStringLiteral("First Name should be specified"));
    QCOMPARE(detailsText(e),
             QStringLiteral("required_field_missing=First Name should be specified|"
                            "length_exceeded=First Name should be no longer than 64"));

    const ApiEvent none = classify(200, R"({"violations": []})");
    HD_COMPARE_ENUM(none.category, Category::Ok);
}

void TestClassifier::tradovate_everyFailureReason_data()
{
    QTest::addColumn<QString>("reason");
    for (const char *r : {"AccountClosed",
                          "AdvancedTrailingStopUnsupported",
                          "AnotherCommandPending",
                          "BackMonthProhibited",
                          "ExecutionProviderNotConfigured",
                          "ExecutionProviderUnavailable",
                          "InvalidContract",
                          "InvalidPrice",
                          "LiquidationOnly",
                          "LiquidationOnlyBeforeExpiration",
                          "MaxOrderQtyIsNotSpecified",
                          "MaxOrderQtyLimitReached",
                          "MaxPosLimitMisconfigured",
                          "MaxPosLimitReached",
                          "MaxTotalPosLimitReached",
                          "MultipleAccountPlanRequired",
                          "NoQuote",
                          "NotEnoughLiquidity",
                          "OtherExecutionRelated",
                          "ParentRejected",
                          "RiskCheckTimeout",
                          "SessionClosed",
                          "Success",
                          "TooLate",
                          "TradingLocked",
                          "TrailingStopNonOrderQtyModify",
                          "Unauthorized",
                          "UnknownReason",
                          "Unsupported"})
        QTest::newRow(r) << QString::fromLatin1(r);
}

void TestClassifier::tradovate_everyFailureReason()
{
    QFETCH(QString, reason);
    const QByteArray body = R"({"failureReason":")" + reason.toUtf8()
                            + R"(","failureText":"text for )" + reason.toUtf8()
                            + R"(","orderId":1})";
    const ApiEvent e = classify(200, body);
    QCOMPARE(e.profile, QStringLiteral("tradovate"));
    QCOMPARE(e.identifiers.orderId, QStringLiteral("1"));
    if (reason == u"Success") {
        HD_COMPARE_ENUM(e.category, Category::Ok);
        QVERIFY(!e.error);
        return;
    }
    HD_COMPARE_ENUM(e.category, Category::BusinessRejected);
    HD_COMPARE_ENUM(e.outcome, Outcome::BusinessError);
    QVERIFY(e.error);
    QCOMPARE(e.error->code, reason);
    QCOMPARE(e.error->message, QStringLiteral("text for ") + reason);
    QVERIFY(!e.retry.advice.isEmpty());
    // Every failure reason has its own row in the profile's code table, so the advice is specific.
    QVERIFY2(e.retry.advice != CategoryRules::advice(Category::BusinessRejected),
             qPrintable(reason));
}

void TestClassifier::tradovate_everySignupAndSubscriptionErrorCode_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QByteArray>("companion");
    for (const char *c : {"DataError", "EmailAlreadyRegistered", "EmailPolicyFailed",
                          "FailedRecaptcha", "Success", "UnknownError", "UserAlreadyExists",
                          "WeakPassword", "WrongChallenge", "WrongChallengeOrigin"})
        QTest::addRow("signup %s", c)
            << QString::fromLatin1(c) << QByteArray(R"("emailVerified":false)");
    for (const char *c : {"ConflictWithExisting", "DowngradeNotAllowed",
                          "IncompatibleCMEMarketDataSubscriptionPlans", "IncorrectPaymentMethod",
                          "InsufficientFunds", "PaymentProviderError", "PlanDiscontinued",
                          "SingleTrialOnly", "Success"})
        QTest::addRow("subscription %s", c)
            << QString::fromLatin1(c) << QByteArray(R"("tradovateSubscription":null)");
}

void TestClassifier::tradovate_everySignupAndSubscriptionErrorCode()
{
    QFETCH(QString, code);
    QFETCH(QByteArray, companion);
    // SignUpResponse carries emailVerified, the subscription response tradovateSubscription.
    const QByteArray body
        = code == u"Success"
              ? QByteArray(R"({"errorCode":"Success",)" + companion + "}")
              : QByteArray(R"({"errorText":"text for )" + code.toUtf8() + R"(","errorCode":")"
                           + code.toUtf8() + R"(",)" + companion + "}");
    const ApiEvent e = classify(200, body);
    QCOMPARE(e.profile, QStringLiteral("tradovate"));
    if (code == u"Success") {
        HD_COMPARE_ENUM(e.category, Category::Ok);
        QVERIFY(!e.error);
        return;
    }
    HD_COMPARE_ENUM(e.category, Category::BusinessRejected);
    QVERIFY(e.error);
    QCOMPARE(e.error->code, code);
    QCOMPARE(e.error->message, QStringLiteral("text for ") + code);
    QVERIFY2(e.retry.advice != CategoryRules::advice(Category::BusinessRejected), qPrintable(code));
}

void TestClassifier::tradovate_423And429Semantics_data()
{
    QTest::addColumn<QString>("profile");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<Category>("category");
    QTest::addColumn<RetryAction>("action");
    QTest::addColumn<bool>("retryable");

    const QByteArray simple = R"({"errorText":"Too many requests","ok":false})";
    QTest::newRow("tradovate 423 warns")
        << "tradovate" << 423 << QByteArray() << QByteArrayList{} << Category::LockoutWarning
        << RetryAction::SlowDown << true;
    QTest::newRow("tradovate 429 locks out")
        << "tradovate" << 429 << QByteArray() << QByteArrayList{} << Category::RateLimited
        << RetryAction::StopLockout << false;
    QTest::newRow("auto-detected tradovate 423")
        << "auto" << 423 << simple << QByteArrayList{} << Category::LockoutWarning
        << RetryAction::SlowDown << true;
    QTest::newRow("auto-detected tradovate 429")
        << "auto" << 429 << simple << QByteArrayList{} << Category::RateLimited
        << RetryAction::StopLockout << false;
    QTest::newRow("tradovate 429 with Retry-After still stops")
        << "tradovate" << 429 << simple << QByteArrayList{"Retry-After: 30"}
        << Category::RateLimited << RetryAction::StopLockout << false;
    QTest::newRow("generic 423 is locked") << "generic" << 423 << QByteArray() << QByteArrayList{}
                                           << Category::Locked << RetryAction::RetryBackoff << true;
    QTest::newRow("auto 423 is locked") << "auto" << 423 << QByteArray() << QByteArrayList{}
                                        << Category::Locked << RetryAction::RetryBackoff << true;
    QTest::newRow("signals 423 is locked") << "signals" << 423 << QByteArray() << QByteArrayList{}
                                           << Category::Locked << RetryAction::RetryBackoff << true;
    QTest::newRow("generic 429 retries after")
        << "generic" << 429 << QByteArray() << QByteArrayList{} << Category::RateLimited
        << RetryAction::RetryAfter << true;
}

void TestClassifier::tradovate_423And429Semantics()
{
    QFETCH(QString, profile);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArrayList, headers);
    QFETCH(Category, category);
    QFETCH(RetryAction, action);
    QFETCH(bool, retryable);

    const ApiEvent e = classify(status, body, headers, profile);
    HD_COMPARE_ENUM(e.category, category);
    HD_COMPARE_ENUM(e.retry.action, action);
    QCOMPARE(e.retry.retryable, retryable);
    QVERIFY(!e.retry.advice.isEmpty());
    if (category == Category::LockoutWarning)
        HD_COMPARE_ENUM(e.error->type, ErrorType::RateLimit);
    if (category == Category::Locked)
        HD_COMPARE_ENUM(e.error->type, ErrorType::Concurrency);
    if (action == RetryAction::StopLockout) {
        QVERIFY(e.retry.advice.contains(QStringLiteral("hour")));
        QVERIFY(e.retry.delayMs);
        // The rolling window is an hour; a longer Retry-After is honoured, a shorter one is not a
        // reason to come back early.
        QVERIFY(*e.retry.delayMs >= 30000);
    }
}

void TestClassifier::tradovate_statusAdvice_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<RetryAction>("action");
    QTest::addColumn<QString>("adviceMentions");
    QTest::newRow("401") << 401 << RetryAction::RefreshToken << "refresh the token";
    QTest::newRow("404") << 404 << RetryAction::None << "could not be found";
    QTest::newRow("500") << 500 << RetryAction::RetryBackoff << "internal timeout";
    QTest::newRow("400") << 400 << RetryAction::FixRequest << "";
}

void TestClassifier::tradovate_statusAdvice()
{
    QFETCH(int, status);
    QFETCH(RetryAction, action);
    QFETCH(QString, adviceMentions);
    const ApiEvent e = classify(status, R"({"errorText":"x","ok":false})");
    QCOMPARE(e.profile, QStringLiteral("tradovate"));
    HD_COMPARE_ENUM(e.retry.action, action);
    QVERIFY(!e.retry.advice.isEmpty());
    QVERIFY2(e.retry.advice.contains(adviceMentions), qPrintable(e.retry.advice));
    QCOMPARE(e.error->message, QStringLiteral("x"));
}

void TestClassifier::tradovate_webSocketFrameCarriesItsOwnStatus_data()
{
    QTest::addColumn<std::optional<int>>("httpStatus");
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<Category>("category");
    QTest::addColumn<RetryAction>("action");
    QTest::addColumn<int>("frameStatus");
    QTest::addColumn<QString>("requestId");
    QTest::addColumn<QString>("message");

    using O = std::optional<int>;
    QTest::newRow("seed 003 401 frame")
        << O() << QByteArray(R"(a[{"s":401,"i":123}])") << Category::Unauthorized
        << RetryAction::RefreshToken << 401 << "123"
        << "Unauthorized";
    QTest::newRow("429 frame with text")
        << O() << QByteArray(R"(a[{"s":429,"i":"7","d":"Too many requests"}])")
        << Category::RateLimited << RetryAction::StopLockout << 429 << "7"
        << "Too many requests";
    QTest::newRow("200 frame with ok:false")
        << O()
        << QByteArray(R"(a[{"s":200,"i":5,"d":{"errorText":"Operation failed","ok":false}}])")
        << Category::BusinessRejected << RetryAction::None << 200 << "5"
        << "Operation failed";
    QTest::newRow("200 frame with data") << O() << QByteArray(R"(a[{"s":200,"i":5,"d":{"id":1}}])")
                                         << Category::Ok << RetryAction::None << 200 << "5"
                                         << "";
    QTest::newRow("first failure in a batch")
        << O() << QByteArray(R"(a[{"s":200,"i":1},{"s":404,"i":2,"d":"Not found"}])")
        << Category::NotFound << RetryAction::None << 404 << "2"
        << "Not found";
    QTest::newRow("after a 101 upgrade")
        << O(101) << QByteArray(R"(a[{"s":423,"i":9}])") << Category::LockoutWarning
        << RetryAction::SlowDown << 423 << "9"
        << "Locked";
    QTest::newRow("not a frame") << O(502) << QByteArray(R"(a[{"s":200}])") << Category::BadGateway
                                 << RetryAction::RetryBackoff << 502 << ""
                                 << "a[{\"s\":200}]";
    QTest::newRow("malformed frame")
        << O(200) << QByteArray("a[{\"s\":401") << Category::Ok << RetryAction::None << 200 << ""
        << "";
}

void TestClassifier::tradovate_webSocketFrameCarriesItsOwnStatus()
{
    QFETCH(std::optional<int>, httpStatus);
    QFETCH(QByteArray, frame);
    QFETCH(Category, category);
    QFETCH(RetryAction, action);
    QFETCH(int, frameStatus);
    QFETCH(QString, requestId);
    QFETCH(QString, message);

    const ApiEvent e = classify(httpStatus, frame);
    HD_COMPARE_ENUM(e.category, category);
    HD_COMPARE_ENUM(e.retry.action, action);
    QCOMPARE(e.httpStatus, std::optional<int>(frameStatus));
    QCOMPARE(e.identifiers.traceId, requestId);
    QCOMPARE(e.error ? e.error->message : QString(), message);
    if (requestId.size())
        QCOMPARE(e.profile, QStringLiteral("tradovate"));
}

// ---- seed 004 ------------------------------------------------------------------------------

void TestClassifier::errorEnvelope_everyErrorCode_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("errorType");
    QTest::addColumn<int>("status");
    QTest::addColumn<Category>("category");
    QTest::addColumn<ErrorType>("type");
    QTest::addColumn<RetryAction>("action");
    QTest::addColumn<bool>("retryable");

    using C = Category;
    using T = ErrorType;
    using A = RetryAction;
    QTest::newRow("service_unavailable")
        << "service_unavailable"
        << "unavailable" << 503 << C::Unavailable << T::Unavailable << A::RetryBackoff << true;
    QTest::newRow("internal_server_error")
        << "internal_server_error"
        << "internal_error" << 500 << C::InternalError << T::Internal << A::RetryBackoff << true;
    QTest::newRow("resource_not_found")
        << "resource_not_found"
        << "not_found" << 404 << C::NotFound << T::NotFound << A::None << false;
    QTest::newRow("invalid_request")
        << "invalid_request"
        << "validation" << 400 << C::BadRequest << T::Validation << A::FixRequest << false;
    QTest::newRow("unauthorized_request")
        << "unauthorized_request"
        << "unauthorized" << 401 << C::Unauthorized << T::Authentication << A::RefreshToken << true;
    QTest::newRow("resource_locked")
        << "resource_locked"
        << "concurrency" << 423 << C::Locked << T::Concurrency << A::RetryBackoff << true;
}

void TestClassifier::errorEnvelope_everyErrorCode()
{
    QFETCH(QString, code);
    QFETCH(QString, errorType);
    QFETCH(int, status);
    QFETCH(Category, category);
    QFETCH(ErrorType, type);
    QFETCH(RetryAction, action);
    QFETCH(bool, retryable);

    const QByteArray body = R"({"error_code":")" + code.toUtf8() + R"(","error_type":")"
                            + errorType.toUtf8()
                            + R"(","message":"an unexpected error occurred","trace_id":"trx-123"})";
    const ApiEvent e = classify(status, body);
    QCOMPARE(e.profile, QStringLiteral("error-envelope"));
    HD_COMPARE_ENUM(e.category, category);
    QVERIFY(e.error);
    QCOMPARE(e.error->code, code);
    QCOMPARE(e.error->message, QStringLiteral("an unexpected error occurred"));
    HD_COMPARE_ENUM(e.error->type, type);
    HD_COMPARE_ENUM(e.retry.action, action);
    QCOMPARE(e.retry.retryable, retryable);
    QVERIFY(!e.retry.advice.isEmpty());
    QCOMPARE(e.identifiers.traceId, QStringLiteral("trx-123"));
}

void TestClassifier::errorEnvelope_everyErrorType_data()
{
    QTest::addColumn<QString>("errorType");
    QTest::addColumn<ErrorType>("type");
    QTest::newRow("internal_error") << "internal_error" << ErrorType::Internal;
    QTest::newRow("unavailable") << "unavailable" << ErrorType::Unavailable;
    QTest::newRow("unauthorized") << "unauthorized" << ErrorType::Authentication;
    QTest::newRow("not_found") << "not_found" << ErrorType::NotFound;
    QTest::newRow("validation") << "validation" << ErrorType::Validation;
    QTest::newRow("concurrency") << "concurrency" << ErrorType::Concurrency;
}

void TestClassifier::errorEnvelope_everyErrorType()
{
    QFETCH(QString, errorType);
    QFETCH(ErrorType, type);
    // An error_code this client does not know: the vendor's error_type decides error.type.
    const QByteArray body = R"({"error_code":"something_new","error_type":")" + errorType.toUtf8()
                            + R"(","message":"m"})";
    const ApiEvent e = classify(400, body);
    QCOMPARE(e.profile, QStringLiteral("error-envelope"));
    QVERIFY(e.error);
    HD_COMPARE_ENUM(e.error->type, type);
    QCOMPARE(e.error->code, QStringLiteral("something_new"));
}

void TestClassifier::errorEnvelope_fullResponseKeepsDetailsAndTraceId()
{
    const QByteArray body = R"({"error_code": "invalid_request", "error_type": "validation",
        "message": "invalid request data",
        "details": [{"field": "instrument_id", "description": "invalid instrument_id format"}],
        "trace_id": "trx-123"})";
    const ApiEvent e = classify(400, body, {"X-Request-Id: req-should-not-win"});
    QCOMPARE(e.profile, QStringLiteral("error-envelope"));
    QCOMPARE(detailsText(e), QStringLiteral("instrument_id=invalid instrument_id format"));
    QCOMPARE(e.identifiers.traceId, QStringLiteral("trx-123"));
}

// ---- DESIGN rules --------------------------------------------------------------------------

void TestClassifier::retryAfter_winsOverEveryOtherSignal_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<Category>("category");
    QTest::addColumn<qint64>("delayMs");

    QTest::newRow("503 + Retry-After seconds")
        << 503 << QByteArray() << QByteArrayList{"Retry-After: 30"} << Category::Unavailable
        << qint64(30000);
    QTest::newRow("429 + Retry-After seconds")
        << 429 << QByteArray() << QByteArrayList{"Retry-After: 120"} << Category::RateLimited
        << qint64(120000);
    QTest::newRow("429 + Retry-After HTTP-date")
        << 429 << QByteArray() << QByteArrayList{"Retry-After: Sat, 21 Nov 2026 22:01:30 GMT"}
        << Category::RateLimited << qint64(90000);
    QTest::newRow("500 + Retry-After") << 500 << QByteArray() << QByteArrayList{"Retry-After: 2"}
                                       << Category::InternalError << qint64(2000);
    QTest::newRow("Retry-After beats quota reset")
        << 429 << QByteArray()
        << QByteArrayList{"X-RateLimit-Remaining: 0", "X-RateLimit-Reset: 60", "Retry-After: 5"}
        << Category::RateLimited << qint64(5000);
    QTest::newRow("Retry-After beats a vendor code table")
        << 503
        << QByteArray(
               R"({"error_code":"service_unavailable","error_type":"unavailable","message":"m"})")
        << QByteArrayList{"Retry-After: 7"} << Category::Unavailable << qint64(7000);
    QTest::newRow("exhausted quota waits for its reset")
        << 429 << QByteArray()
        << QByteArrayList{"X-RateLimit-Limit: 100", "X-RateLimit-Remaining: 0",
                          "X-RateLimit-Reset: 1795298460"}
        << Category::RateLimited << qint64(60000);
    QTest::newRow("fractional Retry-After")
        << 503 << QByteArray() << QByteArrayList{"Retry-After: 1.5"} << Category::Unavailable
        << qint64(1500);
}

void TestClassifier::retryAfter_winsOverEveryOtherSignal()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArrayList, headers);
    QFETCH(Category, category);
    QFETCH(qint64, delayMs);

    const ApiEvent e = classify(status, body, headers);
    HD_COMPARE_ENUM(e.category, category);
    HD_COMPARE_ENUM(e.retry.action, RetryAction::RetryAfter);
    QVERIFY(e.retry.retryable);
    QCOMPARE(e.retry.delayMs, std::optional<qint64>(delayMs));
    QVERIFY(e.rateLimit);
}

void TestClassifier::exhaustedQuota_isRateLimitedWhateverTheStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<Category>("category");
    QTest::addColumn<std::optional<qint64>>("delayMs");

    QTest::newRow("403 with X-RateLimit-Remaining 0")
        << 403 << QByteArray(R"({"message":"Forbidden"})")
        << QByteArrayList{"X-RateLimit-Limit: 5000", "X-RateLimit-Remaining: 0",
                          "X-RateLimit-Reset: 20"}
        << Category::RateLimited << std::optional<qint64>(20000);
    QTest::newRow("403 with IETF RateLimit r=0")
        << 403 << QByteArray()
        << QByteArrayList{R"(RateLimit-Policy: "daily";q=1000;w=86400)",
                          R"(RateLimit: "daily";r=0;t=3600)"}
        << Category::RateLimited << std::optional<qint64>(3600000);
    QTest::newRow("problem+json quota-exceeded 403")
        << 403
        << QByteArray(
               R"({"type":"https://api.example.test/problems/quota-exceeded","title":"Quota exceeded","status":403,"detail":"Daily quota of 1000 requests used up"})")
        << QByteArrayList{"Content-Type: application/problem+json"} << Category::RateLimited
        << std::optional<qint64>();
    QTest::newRow("problem+json quota-exceeded without content type")
        << 400 << QByteArray(R"({"type":"urn:problem:quota-exceeded","title":"Quota exceeded"})")
        << QByteArrayList{} << Category::RateLimited << std::optional<qint64>();
    QTest::newRow("403 with headroom stays forbidden")
        << 403 << QByteArray()
        << QByteArrayList{"X-RateLimit-Limit: 5000", "X-RateLimit-Remaining: 10"}
        << Category::Forbidden << std::optional<qint64>();
    QTest::newRow("200 with remaining 0 is still a success")
        << 200 << QByteArray()
        << QByteArrayList{"X-RateLimit-Remaining: 0", "X-RateLimit-Reset: 20"} << Category::Ok
        << std::optional<qint64>();
}

void TestClassifier::exhaustedQuota_isRateLimitedWhateverTheStatus()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArrayList, headers);
    QFETCH(Category, category);
    QFETCH(std::optional<qint64>, delayMs);

    const ApiEvent e = classify(status, body, headers);
    HD_COMPARE_ENUM(e.category, category);
    QCOMPARE(e.retry.delayMs, delayMs);
    if (category == Category::RateLimited) {
        HD_COMPARE_ENUM(e.error->type, ErrorType::RateLimit);
        HD_COMPARE_ENUM(e.retry.action, RetryAction::RetryAfter);
        QVERIFY(e.retry.retryable);
    }
}

void TestClassifier::grpcStatus14_isStreamDroppedWhateverTheStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("200") << 200;
    QTest::newRow("400") << 400;
    QTest::newRow("429") << 429;
    QTest::newRow("503") << 503;
}

void TestClassifier::grpcStatus14_isStreamDroppedWhateverTheStatus()
{
    QFETCH(int, status);
    const ApiEvent e = classify(status, {},
                                {"Content-Type: application/grpc", "grpc-status: 14",
                                 "grpc-message: upstream%20connect%20error"});
    HD_COMPARE_ENUM(e.category, Category::StreamDropped);
    HD_COMPARE_ENUM(e.outcome, Outcome::ConnectionError);
    HD_COMPARE_ENUM(e.retry.action, RetryAction::RetryBackoff);
    QVERIFY(e.retry.retryable);
    QVERIFY(e.error);
    QCOMPARE(e.error->code, QStringLiteral("14 UNAVAILABLE"));
    QCOMPARE(e.error->message, QStringLiteral("upstream connect error"));

    const ApiEvent other = classify(status, {}, {"grpc-status: 13"});
    QVERIFY(other.category != Category::StreamDropped);
}

void TestClassifier::autoDetection_picksTheProfileForEachBodyShape_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<QString>("profile");

    QTest::newRow("seed 001 error/code/details") << QByteArray(
        R"({"error":"Error message","code":"ERROR_CODE","details":[{"path":["field"],"message":"m"}]})")
                                                 << QByteArrayList{} << "signals";
    QTest::newRow("seed 002 numeric code/message")
        << QByteArray(R"({"code": 42, "message": "Error message", "details": []})")
        << QByteArrayList{} << "code-message";
    QTest::newRow("seed 003 SimpleResponse")
        << QByteArray(R"({"errorText":"Operation failed","ok":false})") << QByteArrayList{}
        << "tradovate";
    QTest::newRow("seed 003 violations")
        << QByteArray(R"({"violations":[{"constraint":"c","value":"","description":"d"}]})")
        << QByteArrayList{} << "tradovate";
    QTest::newRow("seed 003 PlaceOrderResult")
        << QByteArray(R"({"failureReason":"AccountClosed","failureText":"string","orderId":1})")
        << QByteArrayList{} << "tradovate";
    QTest::newRow("seed 003 SignUpResponse") << QByteArray(
        R"({"errorText":"Email already registered","errorCode":"EmailAlreadyRegistered","emailVerified":false})")
                                             << QByteArrayList{} << "tradovate";
    QTest::newRow("seed 004 basic envelope") << QByteArray(
        R"({"error_code":"service_unavailable","error_type":"internal_error","message":"an unexpected error occurred"})")
                                             << QByteArrayList{} << "error-envelope";
    QTest::newRow("RFC 9457 by content type")
        << QByteArray(R"({"title":"Not Found","status":404})")
        << QByteArrayList{"Content-Type: application/problem+json"} << "problem-json";
    QTest::newRow("RFC 9457 by shape")
        << QByteArray(R"({"type":"about:blank","title":"Bad Request","status":400})")
        << QByteArrayList{} << "problem-json";
    QTest::newRow("RFC 6749 oauth2")
        << QByteArray(R"({"error":"invalid_grant","error_description":"Refresh token expired"})")
        << QByteArrayList{} << "oauth2";
    QTest::newRow("unknown JSON is generic")
        << QByteArray(R"({"msg":"nope"})") << QByteArrayList{} << "generic";
    QTest::newRow("HTML is generic")
        << QByteArray("<html><head><title>502 Bad Gateway</title></head></html>")
        << QByteArrayList{"Content-Type: text/html"} << "generic";
    QTest::newRow("empty body is generic") << QByteArray() << QByteArrayList{} << "generic";
}

void TestClassifier::autoDetection_picksTheProfileForEachBodyShape()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArrayList, headers);
    QFETCH(QString, profile);
    QCOMPARE(classify(400, body, headers).profile, profile);
}

void TestClassifier::generic_findsMessageAndCode_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("code");

    QTest::newRow("top level message/code")
        << QByteArray(R"({"message":"boom","code":"E1"})") << QByteArrayList{} << "boom"
        << "E1";
    QTest::newRow("top level msg/type")
        << QByteArray(R"({"msg":"boom","type":"E2"})") << QByteArrayList{} << "boom"
        << "E2";
    QTest::newRow("top level detail/errorCode")
        << QByteArray(R"({"detail":"boom","errorCode":"E3"})") << QByteArrayList{} << "boom"
        << "E3";
    QTest::newRow("top level description/status")
        << QByteArray(R"({"description":"boom","status":"FAILED"})") << QByteArrayList{} << "boom"
        << "FAILED";
    QTest::newRow("one level down in an object")
        << QByteArray(R"({"error":{"message":"deep","code":"E42"}})") << QByteArrayList{} << "deep"
        << "E42";
    QTest::newRow("one level down in an array")
        << QByteArray(R"({"outcome":null,"failures":[{"message":"listed","code":"E7"}]})")
        << QByteArrayList{} << "listed"
        << "E7";
    QTest::newRow("top-level array")
        << QByteArray(R"([{"message":"first","code":"E8"}])") << QByteArrayList{} << "first"
        << "E8";
    QTest::newRow("numeric code one level down")
        << QByteArray(R"({"fault":{"faultstring":"x","msg":"m","code":503}})") << QByteArrayList{}
        << "m"
        << "503";
    QTest::newRow("HTML title") << QByteArray(
        "<!DOCTYPE html><html><head><TITLE>\n 503 Service Temporarily Unavailable "
        "\n</TITLE></head><body></body></html>")
                                << QByteArrayList{"Content-Type: text/html; charset=utf-8"}
                                << "503 Service Temporarily Unavailable"
                                << "";
    QTest::newRow("HTML without content type")
        << QByteArray("<html><head><title>Oops</title></head></html>") << QByteArrayList{} << "Oops"
        << "";
    QTest::newRow("HTML h1 only") << QByteArray(
        "<html><body><h1>Gateway Timeout</h1></body></html>")
                                  << QByteArrayList{"Content-Type: text/html"} << "Gateway Timeout"
                                  << "";
    QTest::newRow("plain text first line")
        << QByteArray("upstream connect error\nreset reason: overflow")
        << QByteArrayList{"Content-Type: text/plain"} << "upstream connect error"
        << "";
}

void TestClassifier::generic_findsMessageAndCode()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArrayList, headers);
    QFETCH(QString, message);
    QFETCH(QString, code);
    const ApiEvent e = classify(503, body, headers);
    QCOMPARE(e.profile, QStringLiteral("generic"));
    QVERIFY(e.error);
    QCOMPARE(e.error->message, message);
    QCOMPARE(e.error->code, code);
    HD_COMPARE_ENUM(e.category, Category::Unavailable);
}

void TestClassifier::identifiers_comeFromHeadersAndBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");

    QTest::newRow("X-Request-Id") << QByteArray() << QByteArrayList{"X-Request-Id: req-1"}
                                  << "traceId"
                                  << "req-1";
    QTest::newRow("X-Trace-Id") << QByteArray() << QByteArrayList{"x-trace-id: tr-2"} << "traceId"
                                << "tr-2";
    QTest::newRow("X-Amzn-Trace-Id")
        << QByteArray()
        << QByteArrayList{"X-Amzn-Trace-Id: Root=1-67891233-abcdef012345678912345678"} << "traceId"
        << "Root=1-67891233-abcdef012345678912345678";
    QTest::newRow("traceparent")
        << QByteArray()
        << QByteArrayList{"traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
        << "traceId"
        << "4bf92f3577b34da6a3ce929d0e0e4736";
    QTest::newRow("body accountId")
        << QByteArray(R"({"message":"m","accountId":12345})") << QByteArrayList{} << "accountId"
        << "12345";
    QTest::newRow("body orderId") << QByteArray(R"({"message":"m","orderId":"o-1"})")
                                  << QByteArrayList{} << "orderId"
                                  << "o-1";
    QTest::newRow("body execId") << QByteArray(R"({"message":"m","execId":"e-1"})")
                                 << QByteArrayList{} << "execId"
                                 << "e-1";
    QTest::newRow("body tradeId") << QByteArray(R"({"message":"m","tradeId":"t-1"})")
                                  << QByteArrayList{} << "tradeId"
                                  << "t-1";
    QTest::newRow("body clOrdId") << QByteArray(R"({"message":"m","clOrdId":"c-1"})")
                                  << QByteArrayList{} << "clOrdId"
                                  << "c-1";
    QTest::newRow("body snake case nested")
        << QByteArray(R"({"error":{"message":"m","order_id":"o-2"}})") << QByteArrayList{}
        << "orderId"
        << "o-2";
    QTest::newRow("body trace_id beats header")
        << QByteArray(R"({"message":"m","trace_id":"body-trace"})")
        << QByteArrayList{"X-Request-Id: hdr"} << "traceId"
        << "body-trace";
    QTest::newRow("tradovate orderId") << QByteArray(R"({"failureReason":"NoQuote","orderId":987})")
                                       << QByteArrayList{} << "orderId"
                                       << "987";
}

void TestClassifier::identifiers_comeFromHeadersAndBody()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArrayList, headers);
    QFETCH(QString, field);
    QFETCH(QString, value);
    const ApiEvent e = classify(400, body, headers);
    const QString *actual = e.identifiers.field(field.toStdString());
    QVERIFY(actual);
    QCOMPARE(*actual, value);
}

// ---- bad input -----------------------------------------------------------------------------

void TestClassifier::badInput_isClassifiedByStatusWithAClearMessage_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<Category>("category");
    QTest::addColumn<QString>("messageMentions");

    QTest::newRow("truncated JSON")
        << 500 << QByteArray(R"({"error_code":"internal_server_error","mess)")
        << QByteArrayList{"Content-Type: application/json"} << Category::InternalError
        << "not valid JSON";
    QTest::newRow("truncated JSON array")
        << 400 << QByteArray(R"([{"message":"x"},)") << QByteArrayList{} << Category::BadRequest
        << "not valid JSON";
    QTest::newRow("JSON content type, empty body")
        << 502 << QByteArray() << QByteArrayList{"Content-Type: application/json"}
        << Category::BadGateway << "Bad Gateway";
    QTest::newRow("JSON content type, HTML body")
        << 502 << QByteArray("<html><head><title>502 Bad Gateway</title></head></html>")
        << QByteArrayList{"Content-Type: application/json"} << Category::BadGateway
        << "502 Bad Gateway";
    QTest::newRow("HTML content type, JSON body")
        << 400 << QByteArray(R"({"message":"json after all"})")
        << QByteArrayList{"Content-Type: text/html"} << Category::BadRequest << "json after all";
    QTest::newRow("garbage Retry-After ignored")
        << 503 << QByteArray() << QByteArrayList{"Retry-After: soon-ish"} << Category::Unavailable
        << "Service Unavailable";
    QTest::newRow("duplicate Content-Type")
        << 400 << QByteArray(R"({"message":"dup"})")
        << QByteArrayList{"Content-Type: text/plain", "Content-Type: application/json"}
        << Category::BadRequest << "dup";
    QTest::newRow("header without value")
        << 404 << QByteArray() << QByteArrayList{"X-Request-Id:", "Retry-After:"}
        << Category::NotFound << "Not Found";
    QTest::newRow("JSON scalar body") << 400 << QByteArray("\"just a string\"")
                                      << QByteArrayList{"Content-Type: application/json"}
                                      << Category::BadRequest << "Bad Request";
    QTest::newRow("JSON null body")
        << 500 << QByteArray("null") << QByteArrayList{"Content-Type: application/json"}
        << Category::InternalError << "Internal Server Error";
}

void TestClassifier::badInput_isClassifiedByStatusWithAClearMessage()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArrayList, headers);
    QFETCH(Category, category);
    QFETCH(QString, messageMentions);

    const ApiEvent e = classify(status, body, headers);
    HD_COMPARE_ENUM(e.category, category);
    QVERIFY(e.error);
    QVERIFY2(e.error->message.contains(messageMentions), qPrintable(e.error->message));
    QVERIFY(e.response);
    QCOMPARE(e.response->size, body.size());
}

void TestClassifier::badInput_deeplyNestedJsonDoesNotCrash()
{
    const int depth = 200000;
    const QByteArrayList bodies{
        QByteArray(depth, '[') + QByteArray(depth, ']'), QByteArray(depth, '['),
        QByteArray("{\"a\":").repeated(depth) + "1" + QByteArray(depth, '}')};
    for (const QByteArray &body : bodies) {
        const ApiEvent e = classify(500, body, {"Content-Type: application/json"});
        HD_COMPARE_ENUM(e.category, Category::InternalError);
        QVERIFY(e.error);
        QVERIFY2(e.error->message.contains(QStringLiteral("nested deeper")),
                 qPrintable(e.error->message));
        QCOMPARE(e.response->size, body.size());
    }
}

void TestClassifier::badInput_sixMegabyteJsonIsParsed()
{
    QByteArray body = R"({"error_code":"internal_server_error","message":"big","pad":")";
    body.append(QByteArray(6 * 1024 * 1024, 'x'));
    body.append(R"(","trace_id":"trx-big"})");
    const ApiEvent e = classify(500, body);
    QCOMPARE(e.profile, QStringLiteral("error-envelope"));
    QCOMPARE(e.error->message, QStringLiteral("big"));
    QCOMPARE(e.identifiers.traceId, QStringLiteral("trx-big"));
    QCOMPARE(e.response->size, body.size());
    QVERIFY(e.response->body.size() < 70 * 1024);
}

void TestClassifier::badInput_binaryBodyIsDescribedNotCopied()
{
    QByteArray body("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    body.append(QByteArray(1000, '\0'));
    const ApiEvent e = classify(500, body, {"Content-Type: application/json"});
    HD_COMPARE_ENUM(e.category, Category::InternalError);
    QCOMPARE(e.response->size, body.size());
    QVERIFY2(e.response->body.contains(QStringLiteral("binary")), qPrintable(e.response->body));
    QVERIFY(!e.response->body.contains(QChar(0)));
    QCOMPARE(e.error->message, QStringLiteral("Internal Server Error"));

    const QByteArray jsonWithNul("{\"message\":\"a\0b\"}", 17);
    const ApiEvent j = classify(400, jsonWithNul);
    HD_COMPARE_ENUM(j.category, Category::BadRequest);
    QVERIFY(!j.response->body.contains(QChar(0)));
}

void TestClassifier::badInput_invalidUtf8IsReplacedNotFatal()
{
    const ApiEvent text
        = classify(400, QByteArray("bad \xff\xfe bytes\n"), {"Content-Type: text/plain"});
    HD_COMPARE_ENUM(text.category, Category::BadRequest);
    QVERIFY(text.error->message.startsWith(QStringLiteral("bad ")));
    QVERIFY(text.response->body.contains(QChar(QChar::ReplacementCharacter)));

    // Invalid UTF-8 inside a JSON string: the message is still found, with a replacement character.
    const ApiEvent json
        = classify(400, QByteArray("{\"message\":\"caf\xe9 closed\",\"code\":\"E\"}"));
    HD_COMPARE_ENUM(json.category, Category::BadRequest);
    QVERIFY2(json.error->message.startsWith(QStringLiteral("caf")),
             qPrintable(json.error->message));
    QVERIFY2(json.error->message.endsWith(QStringLiteral(" closed")),
             qPrintable(json.error->message));
    QCOMPARE(json.error->code, QStringLiteral("E"));
}

void TestClassifier::response_bodyIsCappedAt64KiBAndSizeIsFull()
{
    const QByteArray body
        = QByteArray("{\"message\":\"long\",\"pad\":\"") + QByteArray(200 * 1024, 'a') + "\"}";
    const ApiEvent e = classify(500, body);
    QCOMPARE(e.response->size, body.size());
    QVERIFY(e.response->body.startsWith(QStringLiteral("{\"message\":\"long\"")));
    QVERIFY2(e.response->body.contains(QStringLiteral("more bytes not shown")),
             "the cut is announced");
    QVERIFY(e.response->body.size() <= 64 * 1024 + 100);
    QCOMPARE(e.error->message, QStringLiteral("long"));

    // A multi-byte character straddling the cap is not split.
    QByteArray utf8 = QByteArray(64 * 1024 - 1, 'a') + "\xe2\x82\xac" + QByteArray(100, 'b');
    const ApiEvent u = classify(500, utf8, {"Content-Type: text/plain"});
    QVERIFY(!u.response->body.contains(QChar(QChar::ReplacementCharacter)));
    QCOMPARE(u.response->size, utf8.size());
}

void TestClassifier::response_secretsInBodyAndHeadersAreRedacted()
{
    const ApiEvent e = classify(
        401,
        R"({"error":"invalid_token","error_description":"expired","access_token":"eyJhbGciOi.x.y"})",
        {"Set-Cookie: session=abc123; HttpOnly", "X-Request-Id: r-9"});
    QVERIFY(!e.response->body.contains(QStringLiteral("eyJhbGciOi")));
    QVERIFY(e.response->body.contains(QStringLiteral("[REDACTED]")));
    for (const auto &[name, value] : e.response->headers) {
        if (name == u"Set-Cookie")
            QCOMPARE(value, QStringLiteral("[REDACTED]"));
        if (name == u"X-Request-Id")
            QCOMPARE(value, QStringLiteral("r-9"));
    }
    QCOMPARE(e.identifiers.traceId, QStringLiteral("r-9"));
}

void TestClassifier::unknownStatus_isClassifiedByRange_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<Category>("category");
    QTest::addColumn<Outcome>("outcome");
    QTest::addColumn<QString>("message");

    QTest::newRow("418") << 418 << Category::ClientErrorOther << Outcome::ClientError
                         << "I'm a teapot";
    QTest::newRow("451") << 451 << Category::ClientErrorOther << Outcome::ClientError << "HTTP 451";
    QTest::newRow("524") << 524 << Category::ServerErrorOther << Outcome::ServerError
                         << "A Timeout Occurred (CDN)";
    QTest::newRow("599") << 599 << Category::ServerErrorOther << Outcome::ServerError << "HTTP 599";
    QTest::newRow("100") << 100 << Category::NetworkOther << Outcome::ConnectionError
                         << "1xx status 100 is not a final response";
    QTest::newRow("199") << 199 << Category::NetworkOther << Outcome::ConnectionError
                         << "1xx status 199 is not a final response";
    QTest::newRow("700") << 700 << Category::NetworkOther << Outcome::ConnectionError
                         << "invalid HTTP status 700";
    QTest::newRow("0") << 0 << Category::NetworkOther << Outcome::ConnectionError
                       << "invalid HTTP status 0";
    QTest::newRow("-1") << -1 << Category::NetworkOther << Outcome::ConnectionError
                        << "invalid HTTP status -1";
    QTest::newRow("299 is success") << 299 << Category::Ok << Outcome::Success << "";
    QTest::newRow("304 is success") << 304 << Category::Ok << Outcome::Success << "";
}

void TestClassifier::unknownStatus_isClassifiedByRange()
{
    QFETCH(int, status);
    QFETCH(Category, category);
    QFETCH(Outcome, outcome);
    QFETCH(QString, message);
    const ApiEvent e = classify(status, {});
    HD_COMPARE_ENUM(e.category, category);
    HD_COMPARE_ENUM(e.outcome, outcome);
    if (category == Category::Ok) {
        QVERIFY(!e.error);
        return;
    }
    QVERIFY(e.error);
    QCOMPARE(e.error->message, message);
    QVERIFY(!e.retry.advice.isEmpty());
}

void TestClassifier::noStatusAndNoNetworkError_saysSo()
{
    const ApiEvent e = classify(std::nullopt, {});
    HD_COMPARE_ENUM(e.category, Category::NetworkOther);
    HD_COMPARE_ENUM(e.outcome, Outcome::ConnectionError);
    QVERIFY(e.error);
    QVERIFY2(!e.error->message.isEmpty(), "an event without a status must say why");
}

// ---- dialects (issue 18) -------------------------------------------------------------------

void TestClassifier::dialects_everyFamilyAndItsSuccessTwin_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<Category>("category");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message"); // expected exactly; "~text" = contains
    QTest::addColumn<RetryAction>("action");
    QTest::addColumn<qint64>("delayMs"); // -1: none
    QTest::addColumn<QString>("traceId");

    using C = Category;
    using A = RetryAction;
    const QByteArrayList none;
    const QByteArrayList json{"Content-Type: application/json"};
    auto row = [](const char *name) -> QTestData & {
        return QTest::newRow(name);
    };

    // Business errors in a 2xx, and their success twins.
    row("error array beside result")
        << 200 << json << QByteArray(R"({"error":["EOrder:Insufficient funds"],"result":{}})")
        << "error-array" << C::BusinessRejected << "EOrder:Insufficient funds"
        << "EOrder:Insufficient funds" << A::None << qint64(-1) << "";
    row("twin: empty error array beside result")
        << 200 << json << QByteArray(R"({"error":[],"result":{"txid":["T1"]}})") << "error-array"
        << C::Ok << ""
        << "" << A::None << qint64(-1) << "";
    row("errors array of strings")
        << 200 << json << QByteArray(R"({"errors":["account frozen"],"result":null})") << "graphql"
        << C::BusinessRejected << ""
        << "account frozen" << A::None << qint64(-1) << "";
    row("code/msg string code")
        << 200 << json
        << QByteArray(R"({"code":"51008","msg":"Order failed. Insufficient balance","data":[]})")
        << "code-msg" << C::BusinessRejected << "51008"
        << "Order failed. Insufficient balance" << A::None << qint64(-1) << "";
    row("twin: code/msg \"0\"") << 200 << json
                                << QByteArray(R"({"code":"0","msg":"","data":[{"ordId":"1"}]})")
                                << "code-msg" << C::Ok << ""
                                << "" << A::None << qint64(-1) << "";
    row("twin: code/msg 200") << 200 << json
                              << QByteArray(R"({"code":200,"msg":"success","data":{}})")
                              << "code-msg" << C::Ok << ""
                              << "" << A::None << qint64(-1) << "";
    row("twin: code/msg \"00000\"")
        << 200 << json << QByteArray(R"({"code":"00000","msg":"success","data":{}})") << "code-msg"
        << C::Ok << ""
        << "" << A::None << qint64(-1) << "";
    row("code/msg numeric code on a 400")
        << 400 << json << QByteArray(R"({"code":-1121,"msg":"Invalid symbol."})") << "code-msg"
        << C::BadRequest << "-1121"
        << "Invalid symbol." << A::FixRequest << qint64(-1) << "";
    row("retCode/retMsg")
        << 200 << json
        << QByteArray(R"({"retCode":10001,"retMsg":"params error","result":{},"time":1})")
        << "code-msg" << C::BusinessRejected << "10001"
        << "params error" << A::None << qint64(-1) << "";
    row("twin: retCode 0") << 200 << json
                           << QByteArray(R"({"retCode":0,"retMsg":"OK","result":{}})") << "code-msg"
                           << C::Ok << ""
                           << "" << A::None << qint64(-1) << "";
    row("ret_code/ret_msg") << 200 << json
                            << QByteArray(R"({"ret_code":10002,"ret_msg":"request expired"})")
                            << "code-msg" << C::BusinessRejected << "10002"
                            << "request expired" << A::None << qint64(-1) << "";
    row("twin: ret_code \"0\"") << 200 << json << QByteArray(R"({"ret_code":"0","ret_msg":"ok"})")
                                << "code-msg" << C::Ok << ""
                                << "" << A::None << qint64(-1) << "";
    row("errcode/errmsg") << 200 << json
                          << QByteArray(R"({"errcode":40013,"errmsg":"invalid appid"})")
                          << "code-msg" << C::BusinessRejected << "40013"
                          << "invalid appid" << A::None << qint64(-1) << "";
    row("twin: errcode 0") << 200 << json << QByteArray(R"({"errcode":0,"errmsg":"ok"})")
                           << "code-msg" << C::Ok << ""
                           << "" << A::None << qint64(-1) << "";
    row("JSON-RPC error object in a 200")
        << 200 << json
        << QByteArray(
               R"({"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":1})")
        << "json-rpc" << C::NotFound << "-32601"
        << "Method not found" << A::FixRequest << qint64(-1) << "";
    row("JSON-RPC application error")
        << 200 << json
        << QByteArray(
               R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"insufficient funds for gas"},"id":"a"})")
        << "json-rpc" << C::BusinessRejected << "-32000"
        << "insufficient funds for gas" << A::None << qint64(-1) << "";
    row("twin: JSON-RPC result") << 200 << json
                                 << QByteArray(R"({"jsonrpc":"2.0","result":{"ok":true},"id":1})")
                                 << "json-rpc" << C::Ok << ""
                                 << "" << A::None << qint64(-1) << "";
    row("twin: JSON-RPC result with error null")
        << 200 << json << QByteArray(R"({"jsonrpc":"2.0","result":"0x1","error":null,"id":1})")
        << "json-rpc" << C::Ok << ""
        << "" << A::None << qint64(-1) << "";
    row("GraphQL errors with extensions.code")
        << 200 << json
        << QByteArray(
               R"({"errors":[{"message":"Not authorised","extensions":{"code":"UNAUTHENTICATED"}}],"data":null})")
        << "graphql" << C::Unauthorized << "UNAUTHENTICATED"
        << "Not authorised" << A::RefreshToken << qint64(-1) << "";
    row("GraphQL partial data with an error")
        << 200 << json
        << QByteArray(
               R"({"data":{"a":1,"b":null},"errors":[{"message":"field b failed","path":["b"]}]})")
        << "graphql" << C::BusinessRejected << ""
        << "field b failed" << A::None << qint64(-1) << "";
    row("twin: GraphQL data only")
        << 200 << json << QByteArray(R"({"data":{"orders":[]}})") << "generic" << C::Ok << ""
        << "" << A::None << qint64(-1) << "";
    row("twin: GraphQL empty errors")
        << 200 << json << QByteArray(R"({"data":{"x":1},"errors":[]})") << "graphql" << C::Ok << ""
        << "" << A::None << qint64(-1) << "";

    // Tradovate's penalty ticket (seed 003).
    row("p-ticket: wait p-time and retry with the ticket")
        << 200 << json << QByteArray(R"({"p-ticket":"9a8b7c","p-time":15,"p-captcha":false})")
        << "tradovate" << C::RateLimited << "p-ticket"
        << "~wait 15 s" << A::RetryAfter << qint64(15000) << "";
    row("p-captcha: a human must solve it")
        << 200 << json << QByteArray(R"({"p-ticket":"9a8b7c","p-time":0,"p-captcha":true})")
        << "tradovate" << C::RateLimited << "p-captcha"
        << "~a human must solve the captcha" << A::None << qint64(-1) << "";
    row("twin: an access token")
        << 200 << json
        << QByteArray(
               R"({"accessToken":"aaa.bbb.ccc","expirationTime":"2026-11-21T23:20:00.000Z","userId":7})")
        << "generic" << C::Ok << ""
        << "" << A::None << qint64(-1) << "";

    // Request identifiers in headers and XML bodies.
    const struct
    {
        const char *name;
        const char *header;
        const char *id;
    } ids[] = {
        {"x-amzn-RequestId", "x-amzn-RequestId: 7f1c2a3b-4d5e-11ef-9c1a-0242ac120002",
         "7f1c2a3b-4d5e-11ef-9c1a-0242ac120002"},
        {"x-ms-request-id", "x-ms-request-id: 1c2d3e4f-001e-0045-4d5e-6f7a8b000000",
         "1c2d3e4f-001e-0045-4d5e-6f7a8b000000"},
        {"Request-Id", "Request-Id: req_9Ab8Cd7Ef6", "req_9Ab8Cd7Ef6"},
        {"CF-Ray", "CF-Ray: 8c1a2b3c4d5e6f7a-AMS", "8c1a2b3c4d5e6f7a-AMS"},
        {"X-Correlation-Id", "X-Correlation-Id: corr-42", "corr-42"},
        {"X-B3-TraceId", "X-B3-TraceId: 80f198ee56343ba864fe8b2a57d3eff7",
         "80f198ee56343ba864fe8b2a57d3eff7"},
        {"X-Cloud-Trace-Context", "X-Cloud-Trace-Context: 105445aa7843bc8bf206b12000100000/1;o=1",
         "105445aa7843bc8bf206b12000100000"},
        {"all-zero traceparent is no trace id",
         "traceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01", ""},
    };
    for (const auto &id : ids)
        row(id.name) << 500 << QByteArrayList{id.header} << QByteArray() << "generic"
                     << C::InternalError << ""
                     << "Internal Server Error" << A::RetryBackoff << qint64(-1) << id.id;
    row("all-zero traceparent yields to X-Request-Id")
        << 500
        << QByteArrayList{"traceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                          "X-Request-Id: rid-7"}
        << QByteArray() << "generic" << C::InternalError << ""
        << "Internal Server Error" << A::RetryBackoff << qint64(-1) << "rid-7";

    // XML bodies.
    row("S3 AccessDenied")
        << 403 << QByteArrayList{"Content-Type: application/xml"}
        << QByteArray("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>"
                      "<Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId>"
                      "<HostId>vE3sd==</HostId></Error>")
        << "xml-error" << C::Forbidden << "AccessDenied"
        << "Access Denied" << A::RequestScope << qint64(-1) << "4442587FB7D0A2F9";
    row("S3 SlowDown")
        << 503 << QByteArrayList{"Content-Type: application/xml"}
        << QByteArray("<Error><Code>SlowDown</Code><Message>Please reduce your request rate."
                      "</Message><RequestId>R2</RequestId></Error>")
        << "xml-error" << C::RateLimited << "SlowDown"
        << "Please reduce your request rate." << A::RetryBackoff << qint64(-1) << "R2";
    row("AWS query ErrorResponse")
        << 400 << QByteArrayList{"Content-Type: text/xml"}
        << QByteArray("<ErrorResponse xmlns=\"https://sqs.amazonaws.com/doc/2012-11-05/\"><Error>"
                      "<Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>"
                      "</Error><RequestId>a1b2c3</RequestId></ErrorResponse>")
        << "xml-error" << C::RateLimited << "Throttling"
        << "Rate exceeded" << A::RetryBackoff << qint64(-1) << "a1b2c3";
    row("EC2 Response/Errors with two errors")
        << 400 << QByteArrayList{}
        << QByteArray("<?xml version=\"1.0\"?><Response><Errors><Error><Code>InvalidInstanceID."
                      "NotFound</Code><Message>The instance ID 'i-1' does not exist</Message>"
                      "</Error><Error><Code>Other</Code><Message>m2</Message></Error></Errors>"
                      "<RequestID>ea966190</RequestID></Response>")
        << "xml-error" << C::BadRequest << "InvalidInstanceID.NotFound"
        << "The instance ID 'i-1' does not exist" << A::FixRequest << qint64(-1) << "ea966190";
    row("SOAP 1.1 fault")
        << 500 << QByteArrayList{"Content-Type: text/xml; charset=utf-8"}
        << QByteArray("<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap."
                      "org/soap/envelope/\"><soap:Body><soap:Fault><faultcode>soap:Server"
                      "</faultcode><faultstring>Order book unavailable</faultstring><detail/>"
                      "</soap:Fault></soap:Body></soap:Envelope>")
        << "soap" << C::InternalError << "soap:Server"
        << "Order book unavailable" << A::RetryBackoff << qint64(-1) << "";
    row("SOAP 1.2 fault in a 200")
        << 200 << QByteArrayList{"Content-Type: application/soap+xml"}
        << QByteArray(
               "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body>"
               "<env:Fault><env:Code><env:Value>env:Sender</env:Value></env:Code><env:Reason>"
               "<env:Text xml:lang=\"en\">Invalid account</env:Text></env:Reason></env:Fault>"
               "</env:Body></env:Envelope>")
        << "soap" << C::BusinessRejected << "env:Sender"
        << "Invalid account" << A::FixRequest << qint64(-1) << "";
    row("twin: SOAP answer without a fault")
        << 200 << QByteArrayList{"Content-Type: text/xml"}
        << QByteArray("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                      "<soap:Body><GetQuoteResponse><Price>12.5</Price></GetQuoteResponse>"
                      "</soap:Body></soap:Envelope>")
        << "soap" << C::Ok << ""
        << "" << A::None << qint64(-1) << "";
    row("twin: XML listing")
        << 200 << QByteArrayList{"Content-Type: application/xml"}
        << QByteArray("<ListBucketResult><Name>b</Name><Contents><Key>k</Key></Contents>"
                      "</ListBucketResult>")
        << "generic" << C::Ok << ""
        << "" << A::None << qint64(-1) << "";

    // HTML: the title or the heading, never the XML declaration or a script.
    row("XHTML with a script before the title")
        << 502 << QByteArrayList{"Content-Type: text/html"}
        << QByteArray("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html><html><head>"
                      "<script>var t = \"<title>not this</title>\";</script><title>502 Bad "
                      "Gateway</title></head></html>")
        << "generic" << C::BadGateway << ""
        << "502 Bad Gateway" << A::RetryBackoff << qint64(-1) << "";
    row("HTML h1 after a script, entities decoded")
        << 503 << QByteArrayList{"Content-Type: text/html"}
        << QByteArray("<html><body><!-- <h1>old</h1> --><script>document.write('<h1>fake</h1>')"
                      "</script><h1><span>Service &amp; Maintenance</span></h1></body></html>")
        << "generic" << C::Unavailable << ""
        << "Service & Maintenance" << A::RetryBackoff << qint64(-1) << "";
    row("XML declaration then markup that is not XML")
        << 500 << QByteArrayList{"Content-Type: text/plain"}
        << QByteArray("<?xml version=\"1.0\"?>\n<oops>upstream failed<br></oops>") << "generic"
        << C::InternalError << ""
        << "upstream failed" << A::RetryBackoff << qint64(-1) << "";

    // Encodings.
    row("UTF-8 BOM before JSON")
        << 400 << json
        << QByteArray("\xEF\xBB\xBF{\"error_code\":\"invalid_request\",\"message\":\"bad qty\"}")
        << "error-envelope" << C::BadRequest << "invalid_request"
        << "bad qty" << A::FixRequest << qint64(-1) << "";
    row("ISO-8859-1 declared")
        << 400 << QByteArrayList{"Content-Type: application/json; charset=ISO-8859-1"}
        << QByteArray("{\"message\":\"march\xe9 ferm\xe9\"}") << "generic" << C::BadRequest << ""
        << QString::fromUtf8("marché fermé") << A::FixRequest << qint64(-1) << "";
    row("windows-1252 declared")
        << 400 << QByteArrayList{"Content-Type: application/json; charset=windows-1252"}
        << QByteArray("{\"message\":\"\x93limit\x94 is 5 \x80\"}") << "generic" << C::BadRequest
        << "" << QString::fromUtf8("“limit” is 5 €") << A::FixRequest << qint64(-1) << "";
    row("Shift_JIS declared") << 500
                              << QByteArrayList{"Content-Type: application/json; charset=Shift_JIS"}
                              << QByteArray("{\"message\":\"\x83G\x83\x89\x81[\"}") << "generic"
                              << C::InternalError << "" << QString::fromUtf8("エラー")
                              << A::RetryBackoff << qint64(-1) << "";
    row("JSON sent as text/plain")
        << 422 << QByteArrayList{"Content-Type: text/plain"}
        << QByteArray(R"({"code":"E_QTY","message":"qty must be positive"})") << "generic"
        << C::Unprocessable << "E_QTY"
        << "qty must be positive" << A::FixRequest << qint64(-1) << "";
    row("top-level array of errors")
        << 400 << json
        << QByteArray(
               R"([{"field":"qty","message":"must be positive"},{"field":"price","message":"required"}])")
        << "generic" << C::BadRequest << ""
        << "must be positive" << A::FixRequest << qint64(-1) << "";
    row("twin: top-level array of results")
        << 200 << json
        << QByteArray(R"([{"code":"ESZ6","message":"order placed","errorCode":"X"}])") << "generic"
        << C::Ok << ""
        << "" << A::None << qint64(-1) << "";

    // Rate limits per resource, 408, messages.
    row("x-ratelimit per resource: the tightest decides")
        << 429 << QByteArrayList{"x-ratelimit-limit-requests: 60",
                                 "x-ratelimit-remaining-requests: 0",
                                 "x-ratelimit-reset-requests: 1s",
                                 "x-ratelimit-limit-tokens: 150000",
                                 "x-ratelimit-remaining-tokens: 149000",
                                 "x-ratelimit-reset-tokens: 6m0s"}
        << QByteArray() << "generic" << C::RateLimited << ""
        << "Too Many Requests" << A::RetryAfter << qint64(1000) << "";
    row("retry-after-ms") << 429 << QByteArrayList{"retry-after-ms: 250"} << QByteArray()
                          << "generic" << C::RateLimited << ""
                          << "Too Many Requests" << A::RetryAfter << qint64(250) << "";
    row("408 Request Timeout is retryable")
        << 408 << none << QByteArray() << "generic" << C::ClientErrorOther << ""
        << "Request Timeout" << A::RetryBackoff << qint64(-1) << "";
    row("RFC 9457 title and detail")
        << 403 << QByteArrayList{"Content-Type: application/problem+json"}
        << QByteArray(
               R"({"type":"https://example.test/probs/out-of-credit","title":"You do not have enough credit.","detail":"Your current balance is 30, but that costs 50.","status":403})")
        << "problem-json" << C::Forbidden << "https://example.test/probs/out-of-credit"
        << QString::fromUtf8(
               "You do not have enough credit. — Your current balance is 30, but that costs 50.")
        << A::RequestScope << qint64(-1) << "";
    row("RFC 9457 detail repeating the title")
        << 404 << QByteArrayList{"Content-Type: application/problem+json"}
        << QByteArray(R"({"title":"Not Found","detail":"Not Found","status":404})")
        << "problem-json" << C::NotFound << ""
        << "Not Found" << A::None << qint64(-1) << "";
    row("Spring Boot default, empty message")
        << 500 << json
        << QByteArray(
               R"({"timestamp":"2026-11-21T22:00:00.000+00:00","status":500,"error":"Internal Server Error","message":"","path":"/api/orders"})")
        << "spring-boot" << C::InternalError << ""
        << "Internal Server Error (/api/orders)" << A::RetryBackoff << qint64(-1) << "";
    row("Spring Boot with a message and requestId")
        << 404 << json
        << QByteArray(
               R"({"timestamp":"2026-11-21T22:00:00.000+00:00","path":"/api/orders/12","status":404,"error":"Not Found","message":"Order 12 not found","requestId":"5c0d7a1e-3"})")
        << "spring-boot" << C::NotFound << ""
        << "Not Found: Order 12 not found (/api/orders/12)" << A::None << qint64(-1)
        << "5c0d7a1e-3";
    row("WWW-Authenticate invalid_token, empty body")
        << 401
        << QByteArrayList{R"(WWW-Authenticate: Bearer realm="api", error="invalid_token", error_description="The access token expired")"}
        << QByteArray() << "generic" << C::Unauthorized << "invalid_token"
        << "The access token expired" << A::RefreshToken << qint64(-1) << "";
    row("WWW-Authenticate insufficient_scope")
        << 403
        << QByteArrayList{R"(WWW-Authenticate: Bearer error="insufficient_scope", scope="orders:write")"}
        << QByteArray() << "generic" << C::Forbidden << "insufficient_scope"
        << "insufficient_scope (required scope: orders:write)" << A::RequestScope << qint64(-1)
        << "";
    row("WWW-Authenticate without an error says nothing more")
        << 401 << QByteArrayList{R"(WWW-Authenticate: Basic realm="x", Bearer realm="y")"}
        << QByteArray() << "generic" << C::Unauthorized << ""
        << "Unauthorized" << A::RefreshToken << qint64(-1) << "";
}

void TestClassifier::dialects_everyFamilyAndItsSuccessTwin()
{
    QFETCH(int, status);
    QFETCH(QByteArrayList, headers);
    QFETCH(QByteArray, body);
    QFETCH(QString, profile);
    QFETCH(Category, category);
    QFETCH(QString, code);
    QFETCH(QString, message);
    QFETCH(RetryAction, action);
    QFETCH(qint64, delayMs);
    QFETCH(QString, traceId);

    const ApiEvent e = classify(status, body, headers);
    QCOMPARE(e.profile, profile);
    HD_COMPARE_ENUM(e.category, category);
    HD_COMPARE_ENUM(e.outcome, outcomeOf(category));
    QCOMPARE(e.identifiers.traceId, traceId);
    if (category == Category::Ok) {
        QVERIFY2(!e.error, qPrintable(e.error ? e.error->message : QString()));
        return;
    }
    QVERIFY(e.error);
    QCOMPARE(e.error->code, code);
    if (message.startsWith(u'~'))
        QVERIFY2(e.error->message.contains(message.mid(1)), qPrintable(e.error->message));
    else
        QCOMPARE(e.error->message, message);
    HD_COMPARE_ENUM(e.retry.action, action);
    QCOMPARE(e.retry.delayMs,
             delayMs < 0 ? std::optional<qint64>() : std::optional<qint64>(delayMs));
    QVERIFY(!e.retry.advice.isEmpty());
}

void TestClassifier::grpcStatus_everyCodeHasACategoryAndAction_data()
{
    QTest::addColumn<QString>("grpc");
    QTest::addColumn<QString>("code");
    QTest::addColumn<Category>("category");
    QTest::addColumn<RetryAction>("action");
    QTest::addColumn<bool>("retryable");
    using C = Category;
    using A = RetryAction;
    const struct
    {
        const char *n;
        const char *code;
        C category;
        A action;
        bool retryable;
    } rows[] = {
        {"0", "", C::Ok, A::None, false},
        {"1", "1 CANCELLED", C::ClientErrorOther, A::None, false},
        {"2", "2 UNKNOWN", C::ServerErrorOther, A::RetryBackoff, true},
        {"3", "3 INVALID_ARGUMENT", C::BadRequest, A::FixRequest, false},
        {"4", "4 DEADLINE_EXCEEDED", C::GatewayTimeout, A::RetryBackoff, true},
        {"5", "5 NOT_FOUND", C::NotFound, A::None, false},
        {"6", "6 ALREADY_EXISTS", C::Conflict, A::ResolveConflict, false},
        {"7", "7 PERMISSION_DENIED", C::Forbidden, A::RequestScope, false},
        {"8", "8 RESOURCE_EXHAUSTED", C::RateLimited, A::RetryBackoff, true},
        {"9", "9 FAILED_PRECONDITION", C::Unprocessable, A::FixRequest, false},
        {"10", "10 ABORTED", C::Conflict, A::RetryBackoff, true},
        {"11", "11 OUT_OF_RANGE", C::BadRequest, A::FixRequest, false},
        {"12", "12 UNIMPLEMENTED", C::ServerErrorOther, A::None, false},
        {"13", "13 INTERNAL", C::InternalError, A::RetryBackoff, true},
        {"14", "14 UNAVAILABLE", C::StreamDropped, A::RetryBackoff, true},
        {"15", "15 DATA_LOSS", C::InternalError, A::None, false},
        {"16", "16 UNAUTHENTICATED", C::Unauthorized, A::RefreshToken, true},
    };
    for (const auto &r : rows)
        QTest::addRow("grpc-status %s", r.n)
            << QString::fromLatin1(r.n) << QString::fromLatin1(r.code) << r.category << r.action
            << r.retryable;
}

void TestClassifier::grpcStatus_everyCodeHasACategoryAndAction()
{
    QFETCH(QString, grpc);
    QFETCH(QString, code);
    QFETCH(Category, category);
    QFETCH(RetryAction, action);
    QFETCH(bool, retryable);
    // gRPC and its gateways answer HTTP 200 with the verdict in grpc-status.
    const ApiEvent e = classify(200, {},
                                {"Content-Type: application/grpc-web+proto",
                                 (QStringLiteral("grpc-status: ") + grpc).toLatin1(),
                                 "grpc-message: the%20reason"});
    HD_COMPARE_ENUM(e.category, category);
    if (category == Category::Ok) {
        QVERIFY(!e.error);
        return;
    }
    QCOMPARE(e.error->code, code);
    QCOMPARE(e.error->message, QStringLiteral("the reason"));
    HD_COMPARE_ENUM(e.retry.action, action);
    QCOMPARE(e.retry.retryable, retryable);
    QVERIFY(
        lastExplanation().category.startsWith(QStringLiteral("auto:/headerCodes/0/codes/") + grpc));
}

void TestClassifier::wwwAuthenticate_scopeBecomesADetail()
{
    const ApiEvent e = classify(
        403, {},
        {R"(WWW-Authenticate: Bearer realm="trading", error="insufficient_scope", error_description="needs \"orders:write\"", scope="orders:write orders:read")"});
    QCOMPARE(e.error->code, QStringLiteral("insufficient_scope"));
    QCOMPARE(e.error->message,
             QStringLiteral("needs \"orders:write\" (required scope: orders:write orders:read)"));
    QCOMPARE(e.error->details.size(), 1);
    QCOMPARE(e.error->details[0].field, QStringLiteral("scope"));
    QVERIFY(lastExplanation().code.contains(QStringLiteral("WWW-Authenticate")));
    QVERIFY(lastExplanation().retry.contains(
        QStringLiteral("auto:/wwwAuthenticate/codes/insufficient_scope")));

    // A body that says more wins; the header fills only what is missing.
    const ApiEvent body = classify(
        401, R"({"error":"invalid_token","error_description":"token revoked by admin"})",
        {R"(WWW-Authenticate: Bearer error="invalid_token", error_description="expired")"});
    QCOMPARE(body.error->message, QStringLiteral("token revoked by admin"));
    QCOMPARE(body.profile, QStringLiteral("oauth2"));
}

void TestClassifier::topLevelErrorArray_everyElementIsADetail()
{
    const ApiEvent e = classify(
        422,
        R"([{"field":"qty","message":"must be positive"},{"field":"price","message":"required"},{"param":"tif","msg":"unknown"}])");
    QCOMPARE(e.error->message, QStringLiteral("must be positive"));
    QCOMPARE(detailsText(e), QStringLiteral("price=required|tif=unknown"));
    QVERIFY(lastExplanation().profile.contains(QStringLiteral("top-level array of 3")));
}

void TestClassifier::explain_namesTheRuleThatDecided_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");

    QTest::newRow("tradovate errorText in a 200")
        << 200 << QByteArray(R"({"errorText":"Access is denied","ok":false})") << QByteArrayList{}
        << "tradovate (auto: shape /detect/shapes/0 {errorText})"
        << "tradovate:/businessFailure/0 (/ok = false) → business_rejected"
        << ""
        << "tradovate:/fields/message/2 (/errorText)";
    QTest::newRow("tradovate 423 status rule")
        << 423 << QByteArray() << QByteArrayList{} << "generic (auto: no other profile"
        << "builtin:HTTP status 423 → locked"
        << ""
        << "builtin:the status's reason phrase";
    QTest::newRow("code table refines")
        << 400 << QByteArray(R"({"error":"x","code":"DUPLICATE_INTENT"})") << QByteArrayList{}
        << "signals (auto: shape /detect/shapes/0 {error,code})"
        << "builtin:HTTP status 400 → bad_request"
        << "signals:/fields/code/0 (/code)"
        << "signals:/fields/message/0 (/error)";
    QTest::newRow("generic search")
        << 503 << QByteArray(R"({"error":{"message":"deep","code":"E42"}})") << QByteArrayList{}
        << "generic (auto: no other profile"
        << "builtin:HTTP status 503 → unavailable"
        << "generic:/search/codeKeys (key \"code\" at /error)"
        << "generic:/search/messageKeys (key \"message\" at /error)";
    QTest::newRow("p-ticket constant and template")
        << 200 << QByteArray(R"({"p-ticket":"t","p-time":3,"p-captcha":false})") << QByteArrayList{}
        << "tradovate (auto: shape /detect/shapes/6 {p-ticket})"
        << "tradovate:/quotaExceeded/1 (/p-ticket non-empty) → rate_limited"
        << "tradovate:/fields/code/1 (\"p-ticket\" when /p-ticket non-empty)"
        << "tradovate:/fields/message/1 (template";
    QTest::newRow("charset and XML are said")
        << 404 << QByteArray("<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>")
        << QByteArrayList{"Content-Type: application/xml; charset=iso-8859-1"}
        << "xml-error (auto: shape /detect/shapes/0 {Error}); body: decoded from charset "
           "iso-8859-1, XML read as a JSON tree"
        << "builtin:HTTP status 404 → not_found"
        << "xml-error:/fields/code/0 (/Error/Code)"
        << "xml-error:/fields/message/0 (/Error/Message)";
}

void TestClassifier::explain_namesTheRuleThatDecided()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArrayList, headers);
    QFETCH(QString, profile);
    QFETCH(QString, category);
    QFETCH(QString, code);
    QFETCH(QString, message);
    const ApiEvent e = classify(status, body, headers);
    QVERIFY2(lastExplanation().profile.startsWith(profile), qPrintable(lastExplanation().profile));
    QCOMPARE(lastExplanation().category, category);
    if (code.isEmpty())
        QVERIFY2(lastExplanation().code.isEmpty() || lastExplanation().code.startsWith(u"none"),
                 qPrintable(lastExplanation().code));
    else
        QCOMPARE(lastExplanation().code, code);
    QVERIFY2(lastExplanation().message.startsWith(message), qPrintable(lastExplanation().message));
}

void TestClassifier::explain_isOmittedUnlessAskedFor()
{
    ClassifyInput in;
    in.status = 500;
    in.nowMs = Now;
    // The event itself never carries an explanation: its schema is unchanged.
    QVERIFY(!toJsonLine(classifier().classify(in)).contains("explain"));
    Explanation why;
    classifier().classify(in, &why);
    QCOMPARE(why.category, QStringLiteral("builtin:HTTP status 500 → internal_error"));
    QCOMPARE(why.toJson()["category"].get<std::string>(),
             std::string("builtin:HTTP status 500 → internal_error"));
}

QTEST_GUILESS_MAIN(TestClassifier)
#include "tst_classifier.moc"
