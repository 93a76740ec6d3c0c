// libFuzzer target: the error log's filter language (models/logfilter). Users type it, and it
// is restored from settings: any text gives a filter or an error message, and a filter is
// evaluated against an event without a crash, a sanitizer report or catastrophic backtracking.

#include "logfilter.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>

using namespace hd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider fdp(data, size);
    const std::string filterText = fdp.ConsumeRandomLengthString(4096);
    const LogFilter f
        = LogFilter::parse(QString::fromUtf8(filterText.data(), qsizetype(filterText.size())));
    if (f.isValid() == !f.errorMessage().isEmpty() && !f.isValid()) {
        std::fprintf(stderr, "invariant violated: an invalid filter says why\n");
        std::abort();
    }
    if (!f.isValid())
        return 0;

    ApiEvent e;
    e.id = QStringLiteral("fuzz");
    e.timeMs = fdp.ConsumeIntegralInRange<qint64>(0, qint64(4102444800000));
    e.environment = QString::fromStdString(fdp.ConsumeRandomLengthString(32));
    e.endpoint = QString::fromStdString(fdp.ConsumeRandomLengthString(32));
    if (fdp.ConsumeBool())
        e.httpStatus = fdp.ConsumeIntegralInRange<int>(100, 599);
    e.category = fdp.PickValueInArray({Category::Ok, Category::RateLimited, Category::Timeout,
                                       Category::BusinessRejected, Category::InternalError});
    e.outcome = outcomeOf(e.category);
    if (e.category != Category::Ok) {
        ErrorInfo err;
        err.code = QString::fromStdString(fdp.ConsumeRandomLengthString(32));
        err.message = QString::fromStdString(fdp.ConsumeRandomLengthString(256));
        e.error = err;
    }
    e.identifiers.traceId = QString::fromStdString(fdp.ConsumeRandomLengthString(64));
    (void)f.matches(e, fdp.ConsumeIntegralInRange<qint64>(0, qint64(4102444800000)));
    return 0;
}
