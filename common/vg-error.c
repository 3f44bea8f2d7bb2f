#include "vg-error.h"
