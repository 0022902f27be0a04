// Starting the agentdesk program headless for a test, on a port the kernel picks.
#pragma once

#include <QProcess>
#include <QRegularExpression>
#include <QStringList>

namespace agentdesk::test {

// Starts `agentdesk --headless --port 0` plus `arguments` and reads the port it serves from its
// "API: http://…:N/api/v1" line: a port probed free beforehand could be taken by another test's
// connection before the program binds it. 0 when it did not say so within `timeoutMs`.
inline int startHeadless(QProcess &process, const QStringList &arguments, int timeoutMs = 30000)
{
    process.start(QStringLiteral(AGENTDESK_PATH),
                  QStringList{QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0")} + arguments);
    if (!process.waitForStarted())
        return 0;
    static const QRegularExpression apiLine(QStringLiteral("API: http://\\S+:(\\d+)/api/v1"));
    QByteArray output;
    QRegularExpressionMatch match;
    while (!(match = apiLine.match(QString::fromUtf8(output))).hasMatch() && process.waitForReadyRead(timeoutMs))
        output += process.readAllStandardOutput();
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

} // namespace agentdesk::test
