#include "confirmation.h"

#include <QGuiApplication>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>

namespace agentdesk {

QMessageBox *askToConfirm(QWidget *parent, const QString &objectName, const QString &question, const QString &detail,
                          const QString &actionText, std::function<void()> confirmed)
{
    auto *box = new QMessageBox(QMessageBox::Question, QGuiApplication::applicationDisplayName(), question,
                                QMessageBox::NoButton, parent);
    box->setObjectName(objectName);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->setInformativeText(detail);
    QPushButton *act = box->addButton(actionText, QMessageBox::DestructiveRole);
    act->setObjectName(objectName + QStringLiteral("Button"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(cancel);
    box->setEscapeButton(cancel);
    QObject::connect(box, &QMessageBox::buttonClicked, box,
                     [act, confirmed = std::move(confirmed)](QAbstractButton *button) {
                         if (button == act && confirmed)
                             confirmed();
                     });
    box->open();
    return box;
}

} // namespace agentdesk
