#include "vg-server-info.h"
