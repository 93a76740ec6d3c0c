#include "endpointhealth.h"

namespace hd {

Health healthOf(const ApiEvent &e, std::optional<int> degradedLatencyMs)
{
    switch (e.category) {
    case Category::RateLimited:
    case Category::LockoutWarning:
    case Category::Locked:
        return Health::Degraded;
    default:
        break;
    }
    if (e.isFailure())
        return Health::Down;
    if (degradedLatencyMs && *degradedLatencyMs > 0 && e.durationMs > *degradedLatencyMs)
        return Health::Degraded;
    return Health::Up;
}

Health healthOf(const ApiEvent &e)
{
    return e.health ? *e.health : healthOf(e, std::nullopt);
}

std::string_view toString(Health health)
{
    switch (health) {
    case Health::Up:
        return "up";
    case Health::Degraded:
        return "degraded";
    case Health::Down:
        return "down";
    }
    return "up";
}

std::optional<Health> healthFromString(std::string_view s)
{
    if (s == "up")
        return Health::Up;
    if (s == "degraded")
        return Health::Degraded;
    if (s == "down")
        return Health::Down;
    return std::nullopt;
}

} // namespace hd
