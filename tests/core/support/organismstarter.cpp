#include "organismstarter.h"

#include "config/configloader.h"

#include <QDebug>
#include <QFile>

using namespace Qt::StringLiterals;
using namespace agentdesk;

std::unique_ptr<Organism> startOrganismFromYaml(const QByteArray &yaml, const QString &directory)
{
    const QString path = directory + u"/organism.yaml"_s;
    QFile file(path);
    if (!file.exists()) {
        if (!file.open(QIODevice::WriteOnly) || file.write(yaml) != yaml.size()) {
            qWarning() << "cannot write" << path;
            return nullptr;
        }
        file.close();
    }
    const ConfigLoadResult loaded = ConfigLoader::loadFile(path);
    if (!loaded.ok()) {
        qWarning() << loaded.errors.first().toString();
        return nullptr;
    }
    auto organism = std::make_unique<Organism>();
    QString error;
    if (!organism->load(*loaded.config, directory + u"/data"_s, &error)) {
        qWarning() << error;
        return nullptr;
    }
    organism->start();
    return organism;
}
