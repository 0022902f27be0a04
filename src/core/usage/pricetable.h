#pragma once

#include "config/organismconfig.h"

#include <QList>
#include <QString>

#include <optional>

namespace agentdesk {

// USD per million tokens by model-name prefix (spec §8.3). The original's table is the default;
// `llm.prices` in organism.yaml overrides or extends it. The longest matching prefix of the lower-cased
// model name wins; a model with no match has no price (null, never shown as $0).
class PriceTable
{
public:
    PriceTable(); // the default table
    static PriceTable withOverrides(const QMap<QString, ModelPrice> &overrides);

    std::optional<ModelPrice> priceOf(const QString &model) const;
    // prompt/1e6 × p + completion/1e6 × c, cached prompt tokens (part of promptTokens) at the cached price
    // when the table has one; rounded to 6 decimals.
    std::optional<double> cost(const QString &model, qint64 promptTokens, qint64 completionTokens,
                               qint64 cachedPromptTokens = 0) const;

private:
    QMap<QString, ModelPrice> m_prices; // lower-case prefix → price
};

} // namespace agentdesk
