#include "vg-api-client.h"
