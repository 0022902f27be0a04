#pragma once

#include <QString>

#include <functional>

class QMessageBox;
class QWidget;

namespace agentdesk {

// Asks before a command that cannot be undone (kill a thread, stop the organism, reset the usage
// counters): a window-modal question whose default button is Cancel, so a stray keystroke or Enter does
// nothing. `confirmed` runs once the operator chose `actionText`; the box deletes itself. Tests find it
// by its object name.
QMessageBox *askToConfirm(QWidget *parent, const QString &objectName, const QString &question, const QString &detail,
                          const QString &actionText, std::function<void()> confirmed);

} // namespace agentdesk
