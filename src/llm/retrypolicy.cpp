#include "retrypolicy.h"

#include "config/organismconfig.h"

#include <QLocale>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk {

RetryPolicy::RetryPolicy(const LlmConfig &config)
    : m_retries(std::max(0, config.retries))
    , m_baseDelay(std::max(0.0, config.retryBaseDelay))
    , m_maxDelay(std::max(0.0, config.retryMaxDelay))
{ }

bool RetryPolicy::isRetryableStatus(int httpStatus)
{
    if (httpStatus >= 400 && httpStatus < 500)
        return httpStatus == 408 || httpStatus == 409 || httpStatus == 429;
    return true;
}

std::optional<double> RetryPolicy::parseRetryAfter(const QByteArray &value, const QDateTime &now)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    bool isNumber = false;
    const double seconds = trimmed.toDouble(&isNumber);
    if (isNumber)
        return std::isfinite(seconds) ? std::optional<double>(std::max(0.0, seconds)) : std::nullopt;

    // RFC 9110 allows three date forms; servers send the first (IMF-fixdate) in practice.
    const QString text = QString::fromLatin1(trimmed).simplified();
    const QLocale c = QLocale::c();
    QDateTime date = c.toDateTime(text, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s);
    if (!date.isValid())
        date = c.toDateTime(text, u"ddd MMM d HH:mm:ss yyyy"_s); // asctime
    if (!date.isValid()) {
        // RFC 850: two-digit years, which Qt 6.4 reads as 19xx; the weekday would then contradict
        // the date, so it is dropped before parsing.
        date = c.toDateTime(text.section(u", "_s, 1), u"dd-MMM-yy HH:mm:ss 'GMT'"_s);
        if (date.isValid() && date.date().year() < 1970)
            date = date.addYears(100);
    }
    if (!date.isValid())
        date = QDateTime::fromString(text, Qt::RFC2822Date);
    else
        date.setTimeZone(QTimeZone::utc());
    if (!date.isValid())
        return std::nullopt;
    return std::max(0.0, double(now.msecsTo(date)) / 1000.0);
}

double RetryPolicy::delaySeconds(int retryIndex, std::optional<double> retryAfter, double jitter) const
{
    if (retryAfter)
        return std::min(*retryAfter, m_maxDelay);
    const double exponential = m_baseDelay * std::pow(2.0, std::clamp(retryIndex, 0, 62));
    const double capped = std::min(exponential, m_maxDelay);
    return std::max(0.0, capped * (1.0 + 0.5 * (std::clamp(jitter, 0.0, 1.0) - 0.5)));
}

} // namespace agentdesk
