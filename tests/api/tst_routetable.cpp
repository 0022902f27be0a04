#include "jsonwriter.h"
#include "routetable.h"

#include <QTest>
#include <QUrlQuery>

#include <limits>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

Route makeRoute(HttpMethod method, const QString &path)
{
    Route route;
    route.method = method;
    route.path = path;
    route.handler = [](const ApiRequest &) { return ApiResponse(); };
    return route;
}

Route pagedRoute()
{
    Route route = makeRoute(HttpMethod::Get, u"/api/v1/threads"_s);
    route.query = {
        {u"status"_s, QueryParam::Type::String, {}, {}, {}, {}, false},
        {u"limit"_s, QueryParam::Type::Integer, 1, 100, qint64(50), {}, false},
        {u"offset"_s, QueryParam::Type::Integer, 0, {}, qint64(0), {}, false},
        {u"since"_s, QueryParam::Type::Timestamp, {}, {}, {}, {}, true},
    };
    return route;
}

} // namespace

class tst_RouteTable : public QObject
{
    Q_OBJECT
private slots:
    void matchesTemplates_data();
    void matchesTemplates();
    void firstMatchWinsAndMethodsAreSeparate();
    void methodsForAPath();
    void pathParameters();
    void queryDefaults();
    void queryValues();
    void queryErrors_data();
    void queryErrors();
    void reportsEveryBadParameter();
    void textAtTheBoundIsAccepted();
    void pathArguments_data();
    void pathArguments();
};

void tst_RouteTable::matchesTemplates_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("matches");
    QTest::addColumn<QStringList>("args");
    QTest::newRow("literal") << u"/api/v1/agents"_s << u"/api/v1/agents"_s << true << QStringList();
    QTest::newRow("trailing slash") << u"/api/v1/agents"_s << u"/api/v1/agents/"_s << false << QStringList();
    QTest::newRow("param") << u"/api/v1/agents/{name}"_s << u"/api/v1/agents/greeter"_s << true
                           << QStringList{u"greeter"_s};
    QTest::newRow("param decoded") << u"/api/v1/agents/{name}"_s << u"/api/v1/agents/a%20b%C3%BC"_s << true
                                   << QStringList{u"a bü"_s};
    QTest::newRow("encoded slash stays in segment")
        << u"/api/v1/threads/{id}/messages"_s << u"/api/v1/threads/a%2Fb/messages"_s << true << QStringList{u"a/b"_s};
    QTest::newRow("empty param") << u"/api/v1/agents/{name}"_s << u"/api/v1/agents/"_s << false << QStringList();
    QTest::newRow("extra segment") << u"/api/v1/agents/{name}"_s << u"/api/v1/agents/a/b"_s << false << QStringList();
    QTest::newRow("nested") << u"/api/v1/agents/{name}/config"_s << u"/api/v1/agents/x/config"_s << true
                            << QStringList{u"x"_s};
    QTest::newRow("case sensitive") << u"/api/v1/agents"_s << u"/API/v1/agents"_s << false << QStringList();
}

void tst_RouteTable::matchesTemplates()
{
    QFETCH(QString, pattern);
    QFETCH(QString, path);
    QFETCH(bool, matches);
    QFETCH(QStringList, args);
    const auto result = RouteTable::matchPath(pattern, path);
    QCOMPARE(result.has_value(), matches);
    if (matches)
        QCOMPARE(*result, args);
}

void tst_RouteTable::firstMatchWinsAndMethodsAreSeparate()
{
    RouteTable table;
    table.add(makeRoute(HttpMethod::Get, u"/a/{x}"_s));
    table.add(makeRoute(HttpMethod::Get, u"/a/fixed"_s));
    table.add(makeRoute(HttpMethod::Post, u"/a/fixed"_s));
    QCOMPARE(table.match(HttpMethod::Get, u"/a/fixed"_s).index, 0);
    QCOMPARE(table.match(HttpMethod::Post, u"/a/fixed"_s).index, 2);
    QVERIFY(!table.match(HttpMethod::Delete, u"/a/fixed"_s).found());
    QVERIFY(table.matches(2, HttpMethod::Post, u"/a/fixed"_s));
    QVERIFY(!table.matches(2, HttpMethod::Get, u"/a/fixed"_s));
}

void tst_RouteTable::methodsForAPath()
{
    RouteTable table;
    table.add(makeRoute(HttpMethod::Get, u"/x/{id}"_s));
    table.add(makeRoute(HttpMethod::Post, u"/x/{id}/kill"_s));
    table.add(makeRoute(HttpMethod::Put, u"/x/{id}"_s));
    QCOMPARE(table.methodsFor(u"/x/1"_s), (QList<HttpMethod>{HttpMethod::Get, HttpMethod::Put}));
    QCOMPARE(table.methodsFor(u"/x/1/kill"_s), QList<HttpMethod>{HttpMethod::Post});
    QVERIFY(table.methodsFor(u"/y"_s).isEmpty());
}

void tst_RouteTable::pathParameters()
{
    QCOMPARE(RouteTable::pathParameters(u"/api/v1/threads/{thread_id}/messages"_s), QStringList{u"thread_id"_s});
    QVERIFY(RouteTable::pathParameters(u"/health"_s).isEmpty());
}

void tst_RouteTable::queryDefaults()
{
    QHash<QString, QVariant> values;
    QVERIFY(RouteTable::validateQuery(pagedRoute(), QUrlQuery(), &values).isEmpty());
    QCOMPARE(values.value(u"limit"_s).toLongLong(), 50);
    QCOMPARE(values.value(u"offset"_s).toLongLong(), 0);
    QVERIFY(!values.contains(u"status"_s));
    QVERIFY(!values.contains(u"since"_s));
}

void tst_RouteTable::queryValues()
{
    QHash<QString, QVariant> values;
    const QUrlQuery query(u"status=active&limit=1&limit=%2B100&offset=%207%20&since=2026-02-10T12:00:00%2B01:00&x=y"_s);
    QVERIFY(RouteTable::validateQuery(pagedRoute(), query, &values).isEmpty());
    QCOMPARE(values.value(u"status"_s).toString(), u"active"_s);
    QCOMPARE(values.value(u"limit"_s).toLongLong(), 100); // last occurrence wins
    QCOMPARE(values.value(u"offset"_s).toLongLong(), 7);
    QCOMPARE(values.value(u"since"_s).toDateTime().toUTC().time().hour(), 11);
    QVERIFY(!values.contains(u"x"_s));

    QVERIFY(RouteTable::validateQuery(pagedRoute(), QUrlQuery(u"offset=99999999999999999999999"_s), &values).isEmpty());
    QCOMPARE(values.value(u"offset"_s).toLongLong(), std::numeric_limits<qint64>::max());
}

void tst_RouteTable::queryErrors_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("loc");
    QTest::addColumn<QString>("input");
    QTest::newRow("limit 0") << u"limit=0"_s << u"greater_than_equal"_s << u"limit"_s << u"0"_s;
    QTest::newRow("limit 101") << u"limit=101"_s << u"less_than_equal"_s << u"limit"_s << u"101"_s;
    QTest::newRow("limit huge") << u"limit=99999999999999999999999"_s << u"less_than_equal"_s << u"limit"_s
                                << u"99999999999999999999999"_s;
    QTest::newRow("limit huge negative") << u"limit=-99999999999999999999"_s << u"greater_than_equal"_s << u"limit"_s
                                         << u"-99999999999999999999"_s;
    QTest::newRow("limit text") << u"limit=ten"_s << u"int_parsing"_s << u"limit"_s << u"ten"_s;
    QTest::newRow("limit float") << u"limit=1.5"_s << u"int_parsing"_s << u"limit"_s << u"1.5"_s;
    QTest::newRow("limit empty") << u"limit="_s << u"int_parsing"_s << u"limit"_s << QString();
    QTest::newRow("limit sign only") << u"limit=-"_s << u"int_parsing"_s << u"limit"_s << u"-"_s;
    QTest::newRow("offset negative") << u"offset=-1"_s << u"greater_than_equal"_s << u"offset"_s << u"-1"_s;
    QTest::newRow("offset unicode digits") << u"offset=%D9%A3"_s << u"int_parsing"_s << u"offset"_s << u"٣"_s;
    QTest::newRow("since garbage") << u"since=yesterday"_s << u"datetime_parsing"_s << u"since"_s << u"yesterday"_s;
    QTest::newRow("status 129 characters")
        << u"status="_s + QString(129, u's') << u"string_too_long"_s << u"status"_s << QString(129, u's');
}

void tst_RouteTable::queryErrors()
{
    QFETCH(QString, query);
    QFETCH(QString, type);
    QFETCH(QString, loc);
    QFETCH(QString, input);
    QHash<QString, QVariant> values;
    const auto errors = RouteTable::validateQuery(pagedRoute(), QUrlQuery(query), &values);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().type, type);
    QCOMPARE(errors.first().loc.at(0).toString(), u"query"_s);
    QCOMPARE(errors.first().loc.at(1).toString(), loc);
    QCOMPARE(errors.first().input.toString(), input);
    QVERIFY(!errors.first().msg.isEmpty());
}

void tst_RouteTable::reportsEveryBadParameter()
{
    QHash<QString, QVariant> values;
    const auto errors = RouteTable::validateQuery(pagedRoute(), QUrlQuery(u"limit=0&offset=x"_s), &values);
    QCOMPARE(errors.size(), 2);
    QCOMPARE(wire::writeJson(errors.at(0).ctx), QByteArray(R"({"ge":1})"));
}

void tst_RouteTable::textAtTheBoundIsAccepted()
{
    QHash<QString, QVariant> values;
    QVERIFY(RouteTable::validateQuery(pagedRoute(), QUrlQuery(u"status="_s + QString(128, u's')), &values).isEmpty());
    QCOMPARE(values.value(u"status"_s).toString().size(), 128);
    // Characters, not UTF-16 units: 128 emoji are 256 units.
    values.clear();
    QVERIFY(RouteTable::validateQuery(pagedRoute(),
                                      QUrlQuery(u"status="_s + QString(128, u'x').replace(u"x"_s, u"😀"_s)), &values)
                .isEmpty());
}

void tst_RouteTable::pathArguments_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("type"); // empty: accepted
    QTest::addColumn<QString>("loc");
    const QString thread = u"/api/v1/threads/{thread_id}"_s;
    const QString agent = u"/api/v1/agents/{name}/config"_s;
    QTest::newRow("thread id") << thread << QStringList{u"t-1/retry"_s} << QString() << QString();
    QTest::newRow("thread id, 128") << thread << QStringList{QString(128, u't')} << QString() << QString();
    QTest::newRow("thread id, 129") << thread << QStringList{QString(129, u't')} << u"string_too_long"_s
                                    << uR"(["path","thread_id"])"_s;
    QTest::newRow("thread id, control") << thread << QStringList{u"a\u0001b"_s} << u"string_pattern_mismatch"_s
                                        << uR"(["path","thread_id"])"_s;
    QTest::newRow("name, 128") << agent << QStringList{QString(128, u'n')} << QString() << QString();
    QTest::newRow("name, 129") << agent << QStringList{QString(129, u'n')} << u"string_too_long"_s
                               << uR"(["path","name"])"_s;
    QTest::newRow("name with a space") << agent << QStringList{u"ghost ü"_s} << QString() << QString();
}

void tst_RouteTable::pathArguments()
{
    QFETCH(QString, pattern);
    QFETCH(QStringList, args);
    QFETCH(QString, type);
    QFETCH(QString, loc);
    const auto errors = RouteTable::validatePath(makeRoute(HttpMethod::Get, pattern), args);
    if (type.isEmpty()) {
        QVERIFY(errors.isEmpty());
        return;
    }
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().type, type);
    QCOMPARE(QString::fromUtf8(wire::writeJson(errors.first().loc)), loc);
}

QTEST_APPLESS_MAIN(tst_RouteTable)
#include "tst_routetable.moc"
