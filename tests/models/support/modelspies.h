#pragma once

#include <QAbstractItemModel>
#include <QSignalSpy>
#include <QStringList>

// Signal spies rendered as text, so a test compares exact ranges in one QCOMPARE and a failure shows
// every signal that was emitted (the kitemmodels test_model_helpers.h idea).
namespace agentdesk::test {

// rowsInserted / rowsRemoved / rowsAboutToBe…: "first,last" per signal.
inline QStringList rowRanges(const QSignalSpy &spy)
{
    QStringList out;
    for (const QList<QVariant> &arguments : spy)
        out << QStringLiteral("%1,%2").arg(arguments.at(1).toInt()).arg(arguments.at(2).toInt());
    return out;
}

// dataChanged: "row,column-row,column roles" per signal, roles as given.
inline QStringList changedRanges(const QSignalSpy &spy)
{
    QStringList out;
    for (const QList<QVariant> &arguments : spy) {
        const auto topLeft = arguments.at(0).value<QModelIndex>();
        const auto bottomRight = arguments.at(1).value<QModelIndex>();
        QStringList roles;
        for (const int role : arguments.at(2).value<QList<int>>())
            roles << QString::number(role);
        out << QStringLiteral("%1,%2-%3,%4 [%5]")
                   .arg(topLeft.row())
                   .arg(topLeft.column())
                   .arg(bottomRight.row())
                   .arg(bottomRight.column())
                   .arg(roles.join(u' '));
    }
    return out;
}

inline QString rolesText(const QList<int> &roles)
{
    QStringList out;
    for (const int role : roles)
        out << QString::number(role);
    return out.join(u' ');
}

// One column's values, top to bottom.
inline QVariantList column(const QAbstractItemModel &model, int column, int role = Qt::DisplayRole)
{
    QVariantList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, column).data(role);
    return out;
}

inline QStringList columnTexts(const QAbstractItemModel &model, int column, int role = Qt::DisplayRole)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, column).data(role).toString();
    return out;
}

} // namespace agentdesk::test
