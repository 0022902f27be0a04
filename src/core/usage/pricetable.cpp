#include "pricetable.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk {

PriceTable::PriceTable()
{
    const auto add = [this](const QString &prefix, double prompt, double completion) {
        m_prices.insert(prefix, ModelPrice{prompt, completion, std::nullopt});
    };
    add(u"grok-4.1"_s, 3.0, 15.0);
    add(u"grok-3"_s, 3.0, 15.0);
    add(u"claude-opus-4"_s, 15.0, 75.0);
    add(u"claude-sonnet-4"_s, 3.0, 15.0);
    add(u"claude-sonnet-3-5"_s, 3.0, 15.0);
    add(u"gpt-4o"_s, 2.5, 10.0);
    add(u"gpt-4o-mini"_s, 0.15, 0.6);
    add(u"o1"_s, 15.0, 60.0);
    add(u"o3-mini"_s, 1.1, 4.4);
}

PriceTable PriceTable::withOverrides(const QMap<QString, ModelPrice> &overrides)
{
    PriceTable table;
    for (auto it = overrides.cbegin(); it != overrides.cend(); ++it)
        table.m_prices.insert(it.key().toLower(), it.value());
    return table;
}

std::optional<ModelPrice> PriceTable::priceOf(const QString &model) const
{
    const QString name = model.toLower();
    qsizetype bestLength = -1;
    std::optional<ModelPrice> best;
    for (auto it = m_prices.cbegin(); it != m_prices.cend(); ++it) {
        if (name.startsWith(it.key()) && it.key().size() > bestLength) {
            bestLength = it.key().size();
            best = it.value();
        }
    }
    return best;
}

std::optional<double> PriceTable::cost(const QString &model, qint64 promptTokens, qint64 completionTokens,
                                       qint64 cachedPromptTokens) const
{
    const std::optional<ModelPrice> price = priceOf(model);
    if (!price)
        return std::nullopt;
    double promptCost = double(promptTokens) / 1e6 * price->promptPerMillion;
    if (price->cachedPromptPerMillion && cachedPromptTokens > 0) {
        const qint64 cached = std::min(cachedPromptTokens, promptTokens);
        promptCost = double(promptTokens - cached) / 1e6 * price->promptPerMillion
                     + double(cached) / 1e6 * *price->cachedPromptPerMillion;
    }
    const double total = promptCost + double(completionTokens) / 1e6 * price->completionPerMillion;
    return std::round(total * 1e6) / 1e6;
}

} // namespace agentdesk
