#include "vg-json.h"
