// Throughput of the two ways a payload enters the pump: buildPayload (built-in listeners hand over a
// field tree) and parsePayload (external or LLM text). Prints the median of 5 runs of 200k calls each.

#include "schema/schemaregistry.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <functional>
#include <vector>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

constexpr int Runs = 5;
constexpr int Iterations = 200000;

FieldSpec field(const QString &name, const QString &type)
{
    FieldSpec spec;
    spec.name = name;
    spec.type = type;
    return spec;
}

double medianRate(const std::function<bool()> &call, int threads = 1)
{
    std::vector<double> rates;
    for (int run = 0; run < Runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        std::vector<QThread *> workers;
        bool ok = true;
        for (int t = 1; t < threads; ++t) {
            workers.push_back(QThread::create([&call] {
                for (int i = 0; i < Iterations; ++i)
                    call();
            }));
            workers.back()->start();
        }
        for (int i = 0; i < Iterations; ++i)
            ok = call() && ok;
        for (QThread *worker : workers) {
            worker->wait();
            delete worker;
        }
        if (!ok)
            qFatal("a benchmarked call failed");
        rates.push_back(double(Iterations) * threads / (double(timer.nsecsElapsed()) / 1e9));
    }
    std::sort(rates.begin(), rates.end());
    return rates[Runs / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    PayloadTypeSpec type;
    type.name = u"GreetingResponse"_s;
    type.fields = {field(u"message"_s, u"string"_s), field(u"original_sender"_s, u"string"_s),
                   field(u"count"_s, u"integer"_s)};
    QString error;
    const auto registry = SchemaRegistry::build({type}, &error);
    if (!registry)
        qFatal("%s", qPrintable(error));

    const QVariantMap fields = {
        {u"message"_s, u"HELLO, ALICE!"_s}, {u"original_sender"_s, u"greeter"_s}, {u"count"_s, 3}};
    const QByteArray xml = "<GreetingResponse><Message>HELLO, ALICE!</Message><OriginalSender>greeter</OriginalSender>"
                           "<Count>3</Count></GreetingResponse>";

    auto build = [&] {
        Payload payload;
        SchemaError schemaError;
        return registry->buildPayload(u"GreetingResponse"_s, fields, &payload, &schemaError);
    };
    auto parse = [&] {
        Payload payload;
        SchemaError schemaError;
        return registry->parsePayload(xml, u"GreetingResponse"_s, &payload, &schemaError);
    };

    QTextStream out(stdout);
    out << "payload: GreetingResponse, 3 fields (2 strings, 1 integer); median of " << Runs << " runs of " << Iterations
        << " calls\n";
    out << "buildPayload/s          " << qRound64(medianRate(build)) << '\n';
    out << "parsePayload/s          " << qRound64(medianRate(parse)) << '\n';
    out << "parsePayload/s, 2 threads " << qRound64(medianRate(parse, 2)) << '\n';
    return 0;
}
