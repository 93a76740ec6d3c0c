#include "expectations.h"

#include "safejson.h"

#include "responsebody.h"

namespace hd {

void applyExpectations(const Expectation &expect, ApiEvent &e)
{
    if (e.outcome != Outcome::Success || !e.httpStatus)
        return;
    QString problem;
    const int status = *e.httpStatus;
    if (!expect.statuses.isEmpty() && !expect.statuses.contains(status)) {
        QStringList want;
        for (int s : expect.statuses)
            want.append(QString::number(s));
        problem = QStringLiteral("status %1 is not one of the expected %2")
                      .arg(status)
                      .arg(want.join(u'/'));
    } else if (!expect.bodyPointer.isEmpty() && e.response) {
        const std::string text = e.response->body.toStdString();
        const auto body
            = safeJsonParseOrDiscarded<nlohmann::json>(text.data(), text.data() + text.size());
        const nlohmann::json *v
            = body.is_discarded() ? nullptr : jsonAt(body, expect.bodyPointer.toStdString());
        if (!v)
            problem = QStringLiteral("body has no %1").arg(expect.bodyPointer);
        else if (!expect.bodyEquals.is_null() && *v != expect.bodyEquals)
            problem = QStringLiteral("body %1 is %2, expected %3")
                          .arg(expect.bodyPointer, QString::fromStdString(v->dump()).left(100),
                               QString::fromStdString(expect.bodyEquals.dump()).left(100));
    }
    if (problem.isEmpty() && expect.maxLatencyMs && e.durationMs > *expect.maxLatencyMs)
        problem = QStringLiteral("took %1 ms, the limit is %2 ms")
                      .arg(qRound(e.durationMs))
                      .arg(*expect.maxLatencyMs);
    if (problem.isEmpty())
        return;
    e.category = Category::BusinessRejected;
    e.outcome = Outcome::BusinessError;
    e.error = ErrorInfo{QStringLiteral("expectation_failed"), ErrorType::BusinessRule, problem, {}};
    e.retry = {false, RetryAction::None, std::nullopt,
               QStringLiteral("The response did not meet this endpoint's expectation; check the "
                              "service and the expectation.")};
}

} // namespace hd
