#include "metricsregistry.h"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <ostream>
#include <streambuf>

namespace agentdesk::metrics {

namespace {

// The serializer's output into one buffer sized from the previous scrape, through a put area that
// the stream fills by itself: the serializer writes tens of thousands of tiny pieces, and an
// ostringstream (or a virtual call per piece) costs more than writing the text.
class ByteArrayBuffer : public std::streambuf
{
public:
    explicit ByteArrayBuffer(QByteArray &out)
        : m_out(out)
    {
        setp(m_chunk.data(), m_chunk.data() + m_chunk.size());
    }
    ~ByteArrayBuffer() override { flush(); }

protected:
    int_type overflow(int_type ch) override
    {
        flush();
        if (!traits_type::eq_int_type(ch, traits_type::eof()))
            m_out.append(traits_type::to_char_type(ch));
        return traits_type::not_eof(ch);
    }
    int sync() override
    {
        flush();
        return 0;
    }

private:
    void flush()
    {
        m_out.append(pbase(), pptr() - pbase());
        setp(m_chunk.data(), m_chunk.data() + m_chunk.size());
    }

    QByteArray &m_out;
    std::array<char, 16384> m_chunk;
};

} // namespace

MetricsRegistry::MetricsRegistry()
    : m_registry(std::make_unique<prometheus::Registry>())
{ }

MetricsRegistry::~MetricsRegistry() = default;

void MetricsRegistry::declare(const std::string &name, const std::string &help, prometheus::MetricType type)
{
    prometheus::MetricFamily family;
    family.name = name;
    family.help = help;
    family.type = type;
    m_declared.push_back(std::move(family));
}

prometheus::Family<prometheus::Counter> &MetricsRegistry::counters(const std::string &name, const std::string &help)
{
    declare(name, help, prometheus::MetricType::Counter);
    return prometheus::BuildCounter().Name(name).Help(help).Register(*m_registry);
}

prometheus::Family<prometheus::Gauge> &MetricsRegistry::gauges(const std::string &name, const std::string &help)
{
    declare(name, help, prometheus::MetricType::Gauge);
    return prometheus::BuildGauge().Name(name).Help(help).Register(*m_registry);
}

prometheus::Family<prometheus::Histogram> &MetricsRegistry::histograms(const std::string &name, const std::string &help)
{
    declare(name, help, prometheus::MetricType::Histogram);
    return prometheus::BuildHistogram().Name(name).Help(help).Register(*m_registry);
}

void MetricsRegistry::addCollectable(const prometheus::Collectable *collectable)
{
    m_collectables.push_back(collectable);
}

std::vector<prometheus::MetricFamily> MetricsRegistry::collect() const
{
    std::vector<prometheus::MetricFamily> families = m_registry->Collect();
    for (const prometheus::MetricFamily &declared : m_declared) {
        const bool collected = std::any_of(
            families.cbegin(), families.cend(),
            [&](const prometheus::MetricFamily &family) { return family.name == declared.name; });
        if (!collected)
            families.push_back(declared);
    }
    for (const prometheus::Collectable *collectable : m_collectables) {
        std::vector<prometheus::MetricFamily> more = collectable->Collect();
        families.insert(families.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    }
    return families;
}

QByteArray MetricsRegistry::serialize(const std::vector<prometheus::MetricFamily> &families, qsizetype sizeHint)
{
    QByteArray text;
    text.reserve(sizeHint + sizeHint / 8 + 4096);
    {
        ByteArrayBuffer buffer(text);
        std::ostream out(&buffer);
        prometheus::TextSerializer().Serialize(out, families);
    }
    return text;
}

} // namespace agentdesk::metrics
