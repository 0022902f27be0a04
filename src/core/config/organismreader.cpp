#include "organismreader.h"

namespace agentdesk {

using namespace Qt::StringLiterals;
using Value = YamlReader::Value;
using MapView = YamlReader::MapView;

void OrganismReader::read(const MapView &top, OrganismConfig *config)
{
    readLimits(top, config);
    readSection(top, config);
}

void OrganismReader::readLimits(const MapView &top, OrganismConfig *config)
{
    if (const Value *value = top.given(u"thread_scheduling"_s)) {
        if (const auto policy = m_yaml.text(*value)) {
            const QString normalized = policy->toLower().replace(u'_', u'-');
            if (normalized == u"breadth-first"_s)
                config->scheduling = SchedulingPolicy::BreadthFirst;
            else if (normalized == u"depth-first"_s)
                config->scheduling = SchedulingPolicy::DepthFirst;
            else
                m_yaml.error(value->line, value->path,
                             u"unknown scheduling `%1`; expected breadth-first or depth-first"_s.arg(*policy));
        }
    }
    m_yaml.readInteger(top, u"max_concurrent_pipelines"_s, &config->maxConcurrentPipelines, 1);
    m_yaml.readInteger(top, u"max_concurrent_handlers"_s, &config->maxConcurrentHandlers, 1);
    m_yaml.readInteger(top, u"max_concurrent_per_agent"_s, &config->maxConcurrentPerAgent, 1);
    m_yaml.readInteger(top, u"max_tokens_per_thread"_s, &config->maxTokensPerThread, 1);
    m_yaml.readInteger(top, u"max_queue_depth"_s, &config->maxQueueDepth, 1);
    m_yaml.readInteger(top, u"max_message_depth"_s, &config->maxMessageDepth, 1);
    m_yaml.readBoolean(top, u"resume_on_start"_s, &config->resumeOnStart);
}

void OrganismReader::readSection(const MapView &top, OrganismConfig *config)
{
    static const QStringList known{u"name"_s, u"port"_s, u"identity"_s, u"description"_s, u"max_tokens_per_thread"_s};
    static const YamlReader::Ignored ignored{
        {u"tls"_s, u"agentdesk serves plain HTTP and WebSocket; put a TLS-terminating reverse proxy in front"_s}};
    const Value *section = top.given(u"organism"_s);
    if (!section)
        return;
    const std::optional<MapView> organism = m_yaml.mapOf(*section, known, ignored);
    if (!organism)
        return;
    m_yaml.readText(*organism, u"name"_s, &config->name);
    m_yaml.readText(*organism, u"identity"_s, &config->identity, true);
    m_yaml.readText(*organism, u"description"_s, &config->description, true);
    m_yaml.readInteger(*organism, u"port"_s, &config->api.port, 1, 65535);
    if (const Value *misplaced = organism->given(u"max_tokens_per_thread"_s))
        readMisplacedTokenLimit(top, *misplaced, config);
}

// Documented under organism: but only honoured at the top level by the original (§11 #19).
void OrganismReader::readMisplacedTokenLimit(const MapView &top, const Value &misplaced, OrganismConfig *config)
{
    if (const Value *topLevel = top.given(u"max_tokens_per_thread"_s)) {
        m_yaml.warn(misplaced.line, misplaced.path,
                    u"ignored: the top-level max_tokens_per_thread (line %1) takes precedence; remove this one"_s.arg(
                        topLevel->line));
        m_yaml.integer(misplaced, 1, std::numeric_limits<qint64>::max()); // still report a wrong value
        return;
    }
    if (const auto number = m_yaml.integer(misplaced, 1, std::numeric_limits<qint64>::max())) {
        config->maxTokensPerThread = *number;
        m_yaml.warn(misplaced.line, misplaced.path,
                    u"deprecated placement: move max_tokens_per_thread to the top level (used here because the "
                    "top level does not set it)"_s);
    }
}

} // namespace agentdesk
