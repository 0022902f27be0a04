#include "organism.h"

namespace agentdesk {

class Organism::Private
{
};

Organism::Organism(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
}

Organism::~Organism() = default;

} // namespace agentdesk
