#include "vg-user.h"
