// packaging/grafana/agentdesk-dashboard.json: it parses, every query names only metrics that agentdesk
// exports (as a real scrape of /metrics shows them), and it shows the window's Usage and saturation
// figures.

#include "support/apitestclient.h"
#include "support/expositionparser.h"
#include "support/apifixture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

void collectExpressions(const QJsonValue &value, QStringList *expressions)
{
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            collectExpressions(item, expressions);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == u"expr")
                expressions->append(it.value().toString());
            else
                collectExpressions(it.value(), expressions);
        }
    }
}

} // namespace

class tst_GrafanaDashboard : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QFile file(QStringLiteral(AGENTDESK_SOURCE_DIR) + u"/packaging/grafana/agentdesk-dashboard.json"_s);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        QJsonParseError error{};
        m_dashboard = QJsonDocument::fromJson(file.readAll(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QVERIFY(m_dashboard.isObject());
        collectExpressions(m_dashboard.object(), &m_expressions);

        QString failure;
        QVERIFY2(m_fixture.start({}, &failure), qPrintable(failure));
        const HttpResult scrape = ApiTestClient(m_fixture.port()).get(u"/metrics"_s);
        QCOMPARE(scrape.status, 200);
        m_exposition = parseExposition(scrape.body);
        QVERIFY2(m_exposition.ok(), qPrintable(m_exposition.errors.join(u'\n')));
    }

    void everyPanelQueriesThroughTheDataSourceVariable()
    {
        const QJsonArray panels = m_dashboard.object().value(u"panels"_s).toArray();
        QVERIFY(panels.size() > 10);
        for (const QJsonValue &value : panels) {
            const QJsonObject panel = value.toObject();
            QVERIFY(!panel.value(u"title"_s).toString().isEmpty());
            if (panel.value(u"type"_s).toString() == u"row")
                continue;
            const QJsonArray targets = panel.value(u"targets"_s).toArray();
            QVERIFY2(!targets.isEmpty(), qPrintable(panel.value(u"title"_s).toString()));
            for (const QJsonValue &target : targets) {
                QCOMPARE(target.toObject().value(u"datasource"_s).toObject().value(u"uid"_s).toString(),
                         u"${datasource}"_s);
                const QString expr = target.toObject().value(u"expr"_s).toString();
                QVERIFY2(expr.contains(u"instance=~\"$instance\""_s), qPrintable(expr));
                QCOMPARE(expr.count(u'('), expr.count(u')'));
                QCOMPARE(expr.count(u'{'), expr.count(u'}'));
            }
        }
    }

    void everyQueriedMetricIsExported()
    {
        const QStringList families = m_exposition.familyNames();
        QSet<QString> histograms;
        for (const ExpositionFamily &family : m_exposition.families) {
            if (family.type == u"histogram")
                histograms.insert(family.name);
        }
        const QRegularExpression name(u"\\bagentdesk_[a-z0-9_]+"_s);
        int names = 0;
        for (const QString &expr : std::as_const(m_expressions)) {
            for (auto match = name.globalMatch(expr); match.hasNext();) {
                QString metric = match.next().captured();
                for (const QString &suffix : {u"_bucket"_s, u"_sum"_s, u"_count"_s}) {
                    if (metric.endsWith(suffix) && histograms.contains(metric.chopped(suffix.size())))
                        metric.chop(suffix.size());
                }
                QVERIFY2(families.contains(metric), qPrintable(metric + u" in "_s + expr));
                ++names;
            }
        }
        QVERIFY(names >= m_expressions.size());
    }

    void showsTheWindowsUsageAndSaturationFigures()
    {
        const QString all = m_expressions.join(u'\n');
        for (const QString &metric :
             {u"agentdesk_llm_tokens_total"_s, u"agentdesk_llm_cost_dollars_total"_s, u"agentdesk_llm_calls_total"_s,
              u"agentdesk_llm_unpriced_calls_total"_s, u"agentdesk_llm_call_duration_seconds"_s,
              u"agentdesk_thread_budgets_exhausted"_s, u"agentdesk_queue_depth"_s, u"agentdesk_queue_limit"_s,
              u"agentdesk_queue_admission_limit"_s, u"agentdesk_injects_refused_total"_s, u"agentdesk_saturated"_s,
              u"agentdesk_agent_queue_depth"_s, u"agentdesk_messages_handled_total"_s,
              u"agentdesk_handler_duration_seconds"_s, u"agentdesk_threads_active"_s}) {
            QVERIFY2(all.contains(metric), qPrintable(metric));
        }
    }

private:
    ApiFixture m_fixture;
    QJsonDocument m_dashboard;
    QStringList m_expressions;
    Exposition m_exposition;
};

QTEST_GUILESS_MAIN(tst_GrafanaDashboard)
#include "tst_grafanadashboard.moc"
