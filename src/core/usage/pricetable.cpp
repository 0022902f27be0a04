#include "pricetable.h"

#include "config/configloader.h"

#include <QLoggingCategory>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

const PriceList &loadBundled()
{
    static const PriceList list = [] {
        const PriceListLoadResult loaded = ConfigLoader::loadPriceList(u":/agentdesk/llm/prices.yaml"_s);
        // A broken bundled list is a build defect; the tests read it, so this never reaches a user.
        for (const ConfigError &error : loaded.errors)
            qWarning("bundled price list: %s", qPrintable(error.toString()));
        return loaded.list;
    }();
    return list;
}

} // namespace

PriceTable::PriceTable()
{
    merge(bundled().prices);
}

const PriceList &PriceTable::bundled()
{
    return loadBundled();
}

PriceTable PriceTable::forConfig(const LlmConfig &config)
{
    PriceTable table;
    table.merge(config.filePrices.prices);
    table.merge(config.prices);
    return table;
}

PriceTable PriceTable::withOverrides(const QMap<QString, ModelPrice> &overrides)
{
    PriceTable table;
    table.merge(overrides);
    return table;
}

void PriceTable::merge(const QMap<QString, ModelPrice> &prices)
{
    for (auto it = prices.cbegin(); it != prices.cend(); ++it)
        m_prices.insert(it.key().toLower(), it.value());
}

std::optional<ModelPrice> PriceTable::priceOf(const QString &model) const
{
    const QString name = model.toLower();
    // The map is sorted: every prefix of `name` sorts at or before it, so walk back from there.
    auto it = m_prices.upperBound(name);
    qsizetype bestLength = -1;
    std::optional<ModelPrice> best;
    while (it != m_prices.cbegin()) {
        --it;
        if (it.key().isEmpty() || name.isEmpty() || it.key().at(0) != name.at(0))
            break;
        if (name.startsWith(it.key()) && it.key().size() > bestLength) {
            bestLength = it.key().size();
            best = it.value();
        }
    }
    return best;
}

std::optional<double> PriceTable::cost(const QString &model, qint64 promptTokens, qint64 completionTokens,
                                       qint64 cachedPromptTokens, qint64 cacheWriteTokens) const
{
    const std::optional<ModelPrice> price = priceOf(model);
    if (!price)
        return std::nullopt;
    const qint64 cached = std::clamp<qint64>(cachedPromptTokens, 0, promptTokens);
    const qint64 written = std::clamp<qint64>(cacheWriteTokens, 0, promptTokens - cached);
    const double plain = double(promptTokens - cached - written) * price->promptPerMillion;
    const double reads = double(cached) * price->cachedPromptPerMillion.value_or(price->promptPerMillion);
    const double writes = double(written) * price->cacheWritePerMillion.value_or(price->promptPerMillion);
    const double total = (plain + reads + writes + double(completionTokens) * price->completionPerMillion) / 1e6;
    return std::round(total * 1e6) / 1e6;
}

} // namespace agentdesk
