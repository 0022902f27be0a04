#include "llmclient.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

quint64 LlmClient::call(const LlmRequest &request, Handlers handlers)
{
    return complete(request, std::move(handlers.done));
}

LlmToolMode LlmClient::toolModeFor(const QString &model, LlmToolMode preferred) const
{
    Q_UNUSED(model);
    Q_UNUSED(preferred);
    return LlmToolMode::Xml;
}

bool LlmClient::check(const LlmConfig &config, const QStringList &models, QStringList *unserved, QString *error) const
{
    Q_UNUSED(config);
    Q_UNUSED(models);
    Q_UNUSED(unserved);
    *error = u"the LLM client cannot change its configuration while running; restart agentdesk to apply llm changes"_s;
    return false;
}

double LlmClient::rateLimitWaitSeconds(const QString &agentId) const
{
    Q_UNUSED(agentId);
    return 0;
}

bool LlmClient::reconfigure(const LlmConfig &config, QString *error)
{
    return check(config, {}, nullptr, error);
}

} // namespace agentdesk
