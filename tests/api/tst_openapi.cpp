#include "jsonwriter.h"
#include "openapi.h"
#include "support/apifixture.h"

#include <QCborArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

void collectRefs(const QJsonValue &value, QStringList *refs)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (it.key() == u"$ref")
                refs->append(it.value().toString());
            else
                collectRefs(it.value(), refs);
        }
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (const QJsonValue &item : array)
            collectRefs(item, refs);
    }
}

QJsonObject parameter(const QJsonObject &operation, const QString &name)
{
    const QJsonArray parameters = operation.value(u"parameters"_s).toArray();
    for (const QJsonValue &value : parameters) {
        if (value.toObject().value(u"name"_s).toString() == name)
            return value.toObject();
    }
    return {};
}

} // namespace

// /openapi.json is generated from the same route table QHttpServer serves; these checks keep the
// document complete and self-consistent (the API tests check real responses against it).
class tst_OpenApi : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void everyRouteIsDocumentedOnce();
    void everyReferenceResolves();
    void parametersCarryTypesDefaultsAndBounds();
    void extensionsAreMarked();
    void errorResponsesAreDocumented();
    void securityFollowsTheAuthConfiguration();
    void webSocketsAreDescribed();
    void docsPageRendersEveryOperationWithoutScripts();

private:
    std::unique_ptr<ApiFixture> m_fixture;
    QJsonObject m_document;
    QJsonObject operation(const QString &path, const QString &method) const
    {
        return m_document.value(u"paths"_s).toObject().value(path).toObject().value(method).toObject();
    }
};

void tst_OpenApi::initTestCase()
{
    m_fixture = std::make_unique<ApiFixture>();
    QString error;
    QVERIFY2(m_fixture->start({}, &error), qPrintable(error));
    QJsonParseError parseError{};
    m_document = QJsonDocument::fromJson(m_fixture->api()->openApiDocument(), &parseError).object();
    QCOMPARE(parseError.error, QJsonParseError::NoError);
}

void tst_OpenApi::cleanupTestCase()
{
    m_fixture.reset();
}

void tst_OpenApi::everyRouteIsDocumentedOnce()
{
    QCOMPARE(m_document.value(u"openapi"_s).toString(), u"3.1.0"_s);
    QCOMPARE(m_document.value(u"info"_s).toObject().value(u"title"_s).toString(), u"AgentServer API"_s);
    const RouteTable &routes = m_fixture->api()->routes();
    QSet<QString> operationIds;
    int operations = 0;
    for (const Route &route : routes.routes()) {
        const QJsonObject op = operation(route.path, methodName(route.method).toLower());
        QVERIFY2(!op.isEmpty(), qPrintable(route.path));
        QCOMPARE(op.value(u"operationId"_s).toString(), route.operationId);
        QVERIFY2(!operationIds.contains(route.operationId), qPrintable(route.operationId));
        operationIds.insert(route.operationId);
        QVERIFY(!op.value(u"summary"_s).toString().isEmpty());
        ++operations;
    }
    // Nothing documented that is not served.
    int documented = 0;
    const QJsonObject paths = m_document.value(u"paths"_s).toObject();
    for (auto it = paths.constBegin(); it != paths.constEnd(); ++it)
        documented += int(it.value().toObject().size());
    QCOMPARE(documented, operations);
    // Spec §4 rows 1-14 and 24-28, plus /openapi.json and /docs (route groups such as /usage add more).
    const QStringList core{u"health"_s,
                           u"getOrganism"_s,
                           u"getOrganismConfig"_s,
                           u"reloadOrganism"_s,
                           u"stopOrganism"_s,
                           u"listCapabilities"_s,
                           u"getCapability"_s,
                           u"listAgents"_s,
                           u"getAgent"_s,
                           u"getAgentConfig"_s,
                           u"getAgentSchema"_s,
                           u"pauseAgent"_s,
                           u"resumeAgent"_s,
                           u"listThreads"_s,
                           u"getThread"_s,
                           u"listThreadMessages"_s,
                           u"killThread"_s,
                           u"listMessages"_s,
                           u"inject"_s,
                           u"openapi"_s,
                           u"docs"_s};
    for (const QString &id : core)
        QVERIFY2(operationIds.contains(id), qPrintable(id));
}

void tst_OpenApi::everyReferenceResolves()
{
    QStringList refs;
    collectRefs(m_document, &refs);
    QVERIFY(refs.size() > 40);
    const QJsonObject schemas = m_document.value(u"components"_s).toObject().value(u"schemas"_s).toObject();
    for (const QString &ref : std::as_const(refs)) {
        QVERIFY2(ref.startsWith(u"#/components/schemas/"_s), qPrintable(ref));
        QVERIFY2(schemas.contains(ref.section(u'/', -1)), qPrintable(ref));
    }
    // Every route that returns a wire shape names one that exists.
    for (const Route &route : m_fixture->api()->routes().routes()) {
        if (!route.responseSchema.isEmpty())
            QVERIFY2(schemas.contains(route.responseSchema), qPrintable(route.responseSchema));
    }
}

void tst_OpenApi::parametersCarryTypesDefaultsAndBounds()
{
    const QJsonObject limit = parameter(operation(u"/api/v1/threads"_s, u"get"_s), u"limit"_s);
    QCOMPARE(limit.value(u"in"_s).toString(), u"query"_s);
    const QJsonObject schema = limit.value(u"schema"_s).toObject();
    QCOMPARE(schema.value(u"type"_s).toString(), u"integer"_s);
    QCOMPARE(schema.value(u"default"_s).toInt(), 50);
    QCOMPARE(schema.value(u"minimum"_s).toInt(), 1);
    QCOMPARE(schema.value(u"maximum"_s).toInt(), 100);
    const QJsonObject offset = parameter(operation(u"/api/v1/messages"_s, u"get"_s), u"offset"_s);
    QCOMPARE(offset.value(u"schema"_s).toObject().value(u"minimum"_s).toInt(), 0);
    QVERIFY(!offset.value(u"schema"_s).toObject().contains(u"maximum"_s));
    const QJsonObject path = parameter(operation(u"/api/v1/threads/{thread_id}/messages"_s, u"get"_s), u"thread_id"_s);
    QCOMPARE(path.value(u"in"_s).toString(), u"path"_s);
    QCOMPARE(path.value(u"required"_s).toBool(), true);
    const QJsonObject since = parameter(operation(u"/api/v1/messages"_s, u"get"_s), u"since"_s);
    QCOMPARE(since.value(u"schema"_s).toObject().value(u"format"_s).toString(), u"date-time"_s);
    QVERIFY(operation(u"/api/v1/inject"_s, u"post"_s).contains(u"requestBody"_s));
}

void tst_OpenApi::extensionsAreMarked()
{
    const QJsonObject messages = operation(u"/api/v1/messages"_s, u"get"_s);
    for (const QString &name : {u"thread"_s, u"payloadType"_s, u"since"_s, u"until"_s, u"after"_s})
        QVERIFY2(parameter(messages, name).value(u"x-agentdesk-extension"_s).toBool(), qPrintable(name));
    for (const QString &name : {u"agent"_s, u"limit"_s, u"offset"_s})
        QVERIFY2(!parameter(messages, name).contains(u"x-agentdesk-extension"_s), qPrintable(name));
    const QJsonObject agentInfo =
        m_document.value(u"components"_s).toObject().value(u"schemas"_s).toObject().value(u"AgentInfo"_s).toObject();
    QVERIFY(agentInfo.value(u"properties"_s)
                .toObject()
                .value(u"inFlight"_s)
                .toObject()
                .value(u"x-agentdesk-extension"_s)
                .toBool());
    QVERIFY(!agentInfo.value(u"required"_s).toArray().contains(u"inFlight"_s));
}

void tst_OpenApi::errorResponsesAreDocumented()
{
    const QJsonObject threads = operation(u"/api/v1/threads"_s, u"get"_s).value(u"responses"_s).toObject();
    QVERIFY(threads.contains(u"200"_s) && threads.contains(u"400"_s) && threads.contains(u"422"_s));
    QCOMPARE(threads.value(u"422"_s)
                 .toObject()
                 .value(u"content"_s)
                 .toObject()
                 .value(u"application/json"_s)
                 .toObject()
                 .value(u"schema"_s)
                 .toObject()
                 .value(u"$ref"_s)
                 .toString(),
             u"#/components/schemas/HTTPValidationError"_s);
    const QJsonObject agent = operation(u"/api/v1/agents/{name}"_s, u"get"_s).value(u"responses"_s).toObject();
    QVERIFY(agent.contains(u"404"_s));
    QVERIFY(!agent.contains(u"422"_s));
    const QJsonObject inject = operation(u"/api/v1/inject"_s, u"post"_s).value(u"responses"_s).toObject();
    for (const QString &status : {u"400"_s, u"401"_s, u"403"_s, u"422"_s})
        QVERIFY2(inject.contains(status), qPrintable(status));
}

void tst_OpenApi::securityFollowsTheAuthConfiguration()
{
    // No key in this fixture: nothing is marked.
    QVERIFY(!operation(u"/api/v1/inject"_s, u"post"_s).contains(u"security"_s));
    OpenApiOptions options;
    options.authEnabled = true;
    const QCborMap writes = buildOpenApi(m_fixture->api()->routes(), options);
    const auto secured = [](const QCborMap &document, const QString &path, const QString &method) {
        return document.value(u"paths"_s).toMap().value(path).toMap().value(method).toMap().contains(u"security"_s);
    };
    QVERIFY(secured(writes, u"/api/v1/inject"_s, u"post"_s));
    QVERIFY(secured(writes, u"/api/v1/organism/stop"_s, u"post"_s));
    QVERIFY(!secured(writes, u"/api/v1/agents"_s, u"get"_s));
    options.protectReads = true;
    const QCborMap reads = buildOpenApi(m_fixture->api()->routes(), options);
    QVERIFY(secured(reads, u"/api/v1/agents"_s, u"get"_s));
    QVERIFY(!secured(reads, u"/health"_s, u"get"_s));
    QVERIFY(!secured(reads, u"/openapi.json"_s, u"get"_s));
}

void tst_OpenApi::webSocketsAreDescribed()
{
    const QJsonObject sockets = m_document.value(u"x-websockets"_s).toObject();
    QVERIFY(sockets.contains(u"/ws"_s));
    QVERIFY(sockets.contains(u"/ws/messages"_s));
    QVERIFY(sockets.value(u"/ws"_s).toObject().value(u"events"_s).toArray().size() >= 9);
}

void tst_OpenApi::docsPageRendersEveryOperationWithoutScripts()
{
    const QByteArray page = renderDocsPage(buildOpenApi(m_fixture->api()->routes(), {}));
    QVERIFY(page.startsWith("<!DOCTYPE html>"));
    QVERIFY(!page.contains("<script"));
    QVERIFY(!page.contains("<link") && !page.contains("src=")); // nothing fetched from anywhere
    for (const Route &route : m_fixture->api()->routes().routes())
        QVERIFY2(page.contains(route.path.toHtmlEscaped().toUtf8()), qPrintable(route.path));
    QVERIFY(page.contains("id=\"schema-MessageInfo\""));
}

QTEST_GUILESS_MAIN(tst_OpenApi)
#include "tst_openapi.moc"
