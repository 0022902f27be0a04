#pragma once

#include "config/organismconfig.h"

#include <QList>
#include <QString>

#include <optional>

namespace agentdesk {

// USD per million tokens by model-name prefix (spec §8.3, decision 17). Three layers, later ones
// winning per prefix: the bundled list (resources/llm/prices.yaml, compiled in), an operator's file
// (`llm.prices_file`) and `llm.prices` in organism.yaml. The longest matching prefix of the
// lower-cased model name wins; a model with no match has no price (null, never shown as $0).
class PriceTable
{
public:
    PriceTable(); // the bundled list
    static PriceTable forConfig(const LlmConfig &config);
    static PriceTable withOverrides(const QMap<QString, ModelPrice> &overrides);
    // The list compiled into agentdesk (its date says when the prices were taken).
    static const PriceList &bundled();

    std::optional<ModelPrice> priceOf(const QString &model) const;
    // Prompt tokens include the cached and the cache-written ones: those are priced at the cached
    // and cache-write prices when the table has them (the prompt price otherwise), the rest at the
    // prompt price; completion tokens (reasoning included) at the completion price. Rounded to 6
    // decimals. nullopt: the model has no price.
    std::optional<double> cost(const QString &model, qint64 promptTokens, qint64 completionTokens,
                               qint64 cachedPromptTokens = 0, qint64 cacheWriteTokens = 0) const;

    QString bundledDate() const { return bundled().date; }
    int size() const { return int(m_prices.size()); }

private:
    void merge(const QMap<QString, ModelPrice> &prices);

    QMap<QString, ModelPrice> m_prices; // lower-case prefix → price
};

} // namespace agentdesk
